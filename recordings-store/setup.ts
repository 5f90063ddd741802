// The store, keys and Asterisk access as configuration describes them (config/index.ts, RECORDINGS_*).
import type { Config } from '../config/index.js';
import { KeyRing } from './crypto.js';
import { S3BlobStore } from './s3.js';
import { FsBlobStore, type BlobStore } from './storage.js';

/**
 * The key ring; refuses the development key outside the demo set-up (embedded PostgreSQL and the simulated
 * Asterisk, see agent-desk/component.ts isDemo): real callers' recordings are never encrypted with a public key.
 */
export function keyRingFromConfig(config: Config): KeyRing {
  const r = config.recordings;
  const simulated = new URL(config.ari.url).host === `${config.sim.host}:${config.sim.port}`;
  const demo = config.databaseUrl === undefined && simulated;
  if (r.devKey && !demo) {
    throw new Error('RECORDINGS_KEY and RECORDINGS_KEY_ID must be set (32 random bytes in base64: openssl rand -base64 32); ' +
      'the development key is only for the demo set-up');
  }
  return new KeyRing(r.key, r.oldKeys);
}

export function blobStoreFromConfig(config: Config): BlobStore {
  const r = config.recordings;
  if (r.store === 's3') {
    return new S3BlobStore({ endpoint: r.s3.endpoint!, bucket: r.s3.bucket, region: r.s3.region, accessKey: r.s3.accessKey, secretKey: r.s3.secretKey });
  }
  return new FsBlobStore(r.dir, { minFreeBytes: r.minFreeBytes });
}
