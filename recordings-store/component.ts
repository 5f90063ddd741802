// The recordings store as a component of `npm start`: the worker that ingests, sweeps and purges (worker.ts), with
// the store, keys and retention from configuration. It refuses to start with the development key outside the demo.
import { Redis } from 'ioredis';
import type { Component } from '../scripts/components.js';
import { ariFiles } from './asterisk.js';
import { blobStoreFromConfig, keyRingFromConfig } from './setup.js';
import { RecordingsWorker } from './worker.js';

export const recordingsComponent: Component = {
  name: 'recordings',
  async start({ config, log: parent, orm, redisUrl }) {
    const log = parent.child({ component: 'recordings' });
    const keys = keyRingFromConfig(config);
    if (config.recordings.devKey) log.warn('recordings are encrypted with the public development key (demo only)');
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (err) => log.warn({ err: err.message }, 'redis (recordings) unavailable'));
    const worker = new RecordingsWorker({
      connection, keyPrefix: config.ivr.keyPrefix, orm, store: blobStoreFromConfig(config), keys, log,
      asterisk: ariFiles(config.ari),
      retention: { callDays: config.recordings.retentionDays.call, voicemailDays: config.recordings.retentionDays.voicemail },
      sweepEveryMs: 60_000, purgeEveryMs: 3600_000,
    });
    await worker.start();
    return {
      urls: [`${config.recordings.store === 's3' ? `s3:${config.recordings.s3.bucket}` : config.recordings.dir} (key ${keys.current.id})`],
      async stop() {
        await worker.stop();
        connection.disconnect();
      },
    };
  },
};
