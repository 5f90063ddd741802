// The IVR controller as a component of `npm start`: the published 12348 flow, the call records sink, the calendar,
// the lookups, and the ARI connection (to the simulator or a real Asterisk, whichever ARI_URL names).
import path from 'node:path';
import { Redis } from 'ioredis';
import { scaledTimers, realTimers } from '../flows/timers.js';
import { loadCalendar } from '../lib/calendar/calendar.js';
import { scheduleCalendar } from '../lib/calendar/schedules.js';
import { isPromptId } from '../prompts/catalogue.js';
import type { Component } from '../scripts/components.js';
import { assembleCallPath } from './assemble.js';
import { FlowStore } from './flow-store.js';
import { databaseLookups } from './lookups.js';
import { CallEventSink } from './records/emitter.js';
import { CallEvents } from './records/recorder.js';
import { recordingJobs } from '../recordings-store/jobs.js';

export const ivrComponent: Component = {
  name: 'ivr',
  async start({ config, log: parent, orm, redisUrl }) {
    const log = parent.child({ component: 'ivr' });
    const prefix = config.ivr.keyPrefix;
    const lookups = databaseLookups(orm);
    const flows = new FlowStore(orm, path.basename(config.ivr.flowFile, '.yaml'), log, {
      promptExists: (id) => isPromptId(id), lookupExists: (name) => name in lookups,
    });
    await flows.start(config.ivr.flowFile);
    const calendar = scheduleCalendar(loadCalendar({
      extraDir: path.join(config.dataDir, 'calendar'), hours: config.centre.hours,
      onWarning: (w) => log.error({ warning: w }, 'calendar: no holiday data for this year; load the State Council notice'),
    }));
    // Redis for saved session state: a failing Redis must not stall calls, so commands fail fast instead of queueing.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    redis.on('error', (err) => log.warn({ err: err.message }, 'redis (session state) unavailable'));
    const sink = new CallEventSink({ redisUrl, keyPrefix: prefix, log });
    // Against the simulator with a sped-up clock, the controller's timeouts speed up with it.
    const simulated = new URL(config.ari.url).host === `${config.sim.host}:${config.sim.port}`;
    const timers = simulated && config.sim.timeScale !== 1 ? scaledTimers(config.sim.timeScale) : realTimers;
    // Recording facts go to the recordings queue (its own connection: BullMQ waits for Redis rather than failing).
    const queueRedis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    queueRedis.on('error', (err) => log.warn({ err: err.message }, 'redis (recordings queue) unavailable'));
    const recordings = recordingJobs(queueRedis, prefix);
    const callPath = await assembleCallPath({
      ari: config.ari, log, orm, redis, keyPrefix: prefix, flows, calendar, lookups, timers, recorder: new CallEvents(sink), recordings,
    });
    callPath.controller.start();
    return {
      urls: [`ari:${config.ari.url} app ${config.ari.app}`],
      async stop() {
        await callPath.stop();
        flows.stop();
        await sink.close(5000);
        await recordings.close();
        queueRedis.disconnect();
        redis.disconnect();
      },
    };
  },
};
