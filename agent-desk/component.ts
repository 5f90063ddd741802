// The agent desk as a component of `npm start`, listening on HOTLINE_PORT. With the development defaults (embedded
// PostgreSQL and the simulated Asterisk) it creates the demo accounts and listens on loopback only: the demo
// password is public, so the demo desk must not be reachable from the network. Otherwise it listens on every
// interface for the lawyers' browsers, and the first admin comes from `npx hotline admin create`.
import { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import type { Component } from '../scripts/components.js';
import { buildDesk } from './app.js';
import { seedDemoStaff } from './staff.js';
import { keyRingFromConfig } from '../recordings-store/setup.js';
import { CallbackJobs } from '../ivr/callbacks/jobs.js';
import { loadCalendar } from '../lib/calendar/index.js';

/** npm start on a bare machine: no DATABASE_URL (embedded PostgreSQL) and ARI_URL pointing at the simulator. */
export function isDemo(config: Config): boolean {
  const simulated = new URL(config.ari.url).host === `${config.sim.host}:${config.sim.port}`;
  return config.databaseUrl === undefined && simulated;
}

export const agentDeskComponent: Component = {
  name: 'agent-desk',
  async start({ config, log, orm, redisUrl }) {
    const demo = isDemo(config);
    // Refuses to start with the public development key outside the demo.
    const keys = keyRingFromConfig(config);
    if (demo) await seedDemoStaff(orm, log);
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    redis.on('error', (err) => log.warn({ err: err.message }, 'redis (desk) unavailable'));
    // Click-to-call only adds 'dial' jobs; a controller's worker (the IVR component) places the calls.
    const callbacks = new CallbackJobs({
      orm, redisUrl, prefix: config.ivr.keyPrefix, calendar: loadCalendar({ hours: config.centre.hours }), policy: config.callbacks, log,
    });
    const app = buildDesk({ config, orm, redis, log }, { autoWorkOrders: true, recordings: { keys }, callbacks });
    const host = demo ? '127.0.0.1' : '0.0.0.0';
    try {
      await app.listen({ port: config.hotlinePort, host });
    } catch (err) {
      await app.close();
      await callbacks.stop();
      redis.disconnect();
      throw err;
    }
    const shown = demo ? '127.0.0.1' : 'localhost';
    return {
      urls: [`http://${shown}:${config.hotlinePort}/`, `http://${shown}:${config.hotlinePort}/docs`],
      async stop() {
        await app.close();
        await callbacks.stop();
        redis.disconnect();
      },
    };
  },
};
