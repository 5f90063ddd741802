// The call path as npm start runs it — presence, the ACD and the controller sharing one call-event recorder — built in
// one place so that the benchmark measures exactly what production runs.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Timers } from '../flows/timers.js';
import type { Calendar } from '../flows/types.js';
import { callerRouting } from '../agent-desk/first-inquiry.js';
import { RoutingAcd } from './acd/acd.js';
import { ariBinding } from './acd/ari-ops.js';
import { StaffDirectory } from './acd/directory.js';
import { serviceQueueSettings } from './acd/queue-settings.js';
import { PgPresenceHistory } from './acd/presence-history.js';
import { Presence } from './acd/presence.js';
import { Controller, type CallRecorder, type FlowSource } from './controller.js';
import type { CallEvents } from './records/recorder.js';
import { CallbackDialler } from './callbacks/dialler.js';
import { CallCapture } from './recording/capture.js';
import type { RecordingJobs } from '../recordings-store/jobs.js';
import type { Lookup } from './session/ari-port.js';

export interface CallPathOptions {
  ari: { url: string; user: string; password: string; app: string };
  log: Logger;
  orm: MikroORM;
  /** Presence and the ACD's claims; also the controller's saved session state unless `sessionState` says otherwise. */
  redis: Redis;
  sessionState?: Redis;
  keyPrefix: string;
  flows: FlowSource;
  calendar: Calendar;
  lookups: Record<string, Lookup>;
  timers: Timers;
  /** One recorder for the controller and the ACD: the per-call event sequence must be shared. */
  recorder: CallRecorder & Pick<CallEvents, 'answered' | 'transferred' | 'tagged' | 'queued'>;
  /** Record answered calls (ivr/recording/capture.ts), reporting to this recordings queue. */
  recordings?: RecordingJobs;
  /** Place callback calls (ivr/callbacks): the dial string of a number and the caller id shown. */
  outbound?: { dialString(number: string): string; callerId: string; callerFirst?: boolean };
}

export interface CallPath { controller: Controller; acd: RoutingAcd; capture?: CallCapture; dialler?: CallbackDialler; stop(): Promise<void> }

/** Builds and binds the call path; the caller starts it with `controller.start()`. */
export async function assembleCallPath(o: CallPathOptions): Promise<CallPath> {
  const { log, orm, redis, keyPrefix, timers, recorder } = o;
  const history = PgPresenceHistory.fromOrm(orm, log);
  // Presence times are shown on the desk, so they are epoch milliseconds, advancing at the timers' pace.
  const epoch0 = Date.now(), timers0 = timers.now();
  const presence = new Presence({ redis, keyPrefix, log, history, timers, clock: () => epoch0 + (timers.now() - timers0) });
  const directory = StaffDirectory.fromOrm(orm, log);
  const callers = callerRouting(orm);
  const acd: RoutingAcd = new RoutingAcd({
    redis, keyPrefix, app: o.ari.app, log, timers, presence, directory,
    firstInquiry: callers, onAnswered: (id, staff) => recorder.answered(id, staff),
    onTransferred: (id, t) => recorder.transferred(id, t), dialects: callers, queueSettings: serviceQueueSettings(orm, log),
    onBridged: (info) => capture?.onBridged(info),
    // The controller is created next; by the time a call is offered it exists.
    ivrPath: (callId): Array<{ node: string; digits?: string }> => controller.ivrPath(callId),
  });
  const controller: Controller = new Controller({
    ari: o.ari, log, flows: o.flows, recorder, calendar: o.calendar, keyPrefix, lookups: o.lookups, timers, acd,
    redis: 'sessionState' in o ? o.sessionState : redis,
  });
  await acd.bind(ariBinding(controller));
  const capture: CallCapture | undefined = o.recordings && new CallCapture({
    binding: ariBinding(controller), jobs: o.recordings, redis, keyPrefix, log, timers,
    onFailed: (callId, cause) => recorder.tagged(callId, 'recordingFailed', cause),
  });
  // Pause/resume commands from the desk wait for Redis in the background; calls are recorded meanwhile.
  capture?.start().catch((err: Error) => log.error({ err: err.message }, 'recording commands: could not subscribe'));
  const dialler = o.outbound && new CallbackDialler({
    binding: ariBinding(controller), app: o.ari.app, presence, directory, redis, keyPrefix, log, timers, recorder,
    dialString: o.outbound.dialString, callerId: o.outbound.callerId, callerFirst: o.outbound.callerFirst,
  });
  await dialler?.start().catch((err: Error) => log.error({ err: err.message }, 'callback dialler: presence subscription failed (periodic tick only)'));
  return {
    controller, acd, capture, dialler,
    async stop() {
      await dialler?.stop();
      await capture?.stop();
      await controller.stop();
      await acd.stop();
      presence.stop();
      await history.close();
    },
  };
}
