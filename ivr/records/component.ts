// The call-record applier as a component of `npm start` (add it to scripts/components.ts, before the IVR so that
// records flow as soon as calls do; the order is not required for correctness: events wait in Redis).
import type { Component } from '../../scripts/components.js';
import { startCallRecordApplier } from './applier.js';

/** The Redis key prefix the IVR uses (ivr/session/state-store.ts uses the same). */
export const DEFAULT_KEY_PREFIX = 'hotline';

export const callRecordsComponent: Component = {
  name: 'call-records',
  async start({ orm, redisUrl, log }) {
    const applier = startCallRecordApplier({ orm, redisUrl, keyPrefix: DEFAULT_KEY_PREFIX, log: log.child({ component: 'call-records' }) });
    return { stop: () => applier.stop() };
  },
};
