// The IVR controller as a component of `npm start`: the published 12348 flow, the call records sink, the calendar,
// the lookups, and the ARI connection (to the simulator or a real Asterisk, whichever ARI_URL names).
import path from 'node:path';
import { Redis } from 'ioredis';
import { scaledTimers, realTimers } from '../flows/timers.js';
import { loadCalendar } from '../lib/calendar/calendar.js';
import { scheduleCalendar } from '../lib/calendar/schedules.js';
import { isPromptId } from '../prompts/catalogue.js';
import type { Component } from '../scripts/components.js';
import { AfterCallJobs } from '../lib/after-call/jobs.js';
import { loudWarnings, refreshCalendar } from '../lib/after-call/calendar-store.js';
import { OutboundCaller } from '../lib/after-call/outbound.js';
import { ariBinding } from './acd/ari-ops.js';
import { assembleCallPath } from './assemble.js';
import { CallbackJobs } from './callbacks/jobs.js';
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
    const workingCalendar = loadCalendar({
      extraDir: path.join(config.dataDir, 'calendar'), hours: config.centre.hours, onWarning: loudWarnings(log),
    });
    const lookups = databaseLookups(orm, workingCalendar);
    const flows = new FlowStore(orm, path.basename(config.ivr.flowFile, '.yaml'), log, {
      promptExists: (id) => isPromptId(id), lookupExists: (name) => name in lookups,
    });
    await flows.start(config.ivr.flowFile);
    await refreshCalendar(orm, workingCalendar).catch((err: Error) => log.warn({ err: err.message }, 'calendar: stored holiday years not read'));
    const calendar = scheduleCalendar(workingCalendar);
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
    // Calls the centre places (callbacks, reminders) go out through OUTBOUND_ENDPOINT; the simulator's phones answer
    // to PJSIP/<number>. Against a real Asterisk without a trunk configured they are recorded as failed ('no
    // outbound line') rather than dialled somewhere wrong.
    const endpoint = config.outbound.endpoint ?? (simulated ? 'PJSIP/{number}' : undefined);
    const dialString = (number: string) => {
      if (!endpoint) throw new Error('no outbound line (set OUTBOUND_ENDPOINT)');
      if (!/^\+?[0-9]{3,20}$/.test(number)) throw new Error(`not a phone number: ${JSON.stringify(number)}`);
      return endpoint.replace('{number}', number);
    };
    const callPath = await assembleCallPath({
      ari: config.ari, log, orm, redis, keyPrefix: prefix, flows, calendar, lookups, timers, recorder: new CallEvents(sink), recordings,
      outbound: { dialString, callerId: config.outbound.callerId, callerFirst: config.callbacks.callerFirst },
    });
    callPath.controller.start();
    const outbound = endpoint
      ? new OutboundCaller(ariBinding(callPath.controller), { app: config.ari.app, endpoint, callerId: config.outbound.callerId, ringTimeoutMs: 30_000, lang: 'zh', log })
      : undefined;
    if (!outbound) log.warn('no outbound trunk configured (OUTBOUND_ENDPOINT): reminder and callback calls will be recorded as failed');
    const afterCall = new AfterCallJobs({ orm, redisUrl, prefix, calendar: workingCalendar, outbound, log });
    await afterCall.start();
    const callbacks = new CallbackJobs({ orm, redisUrl, prefix, calendar: workingCalendar, policy: config.callbacks, dialler: callPath.dialler, log });
    await callbacks.start();
    return {
      urls: [`ari:${config.ari.url} app ${config.ari.app}`],
      async stop() {
        await callbacks.stop();
        await afterCall.stop();
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
