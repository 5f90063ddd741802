// The IVR controller as a component of `npm start`: the published 12348 flow, the call records sink, the calendar,
// the lookups, and the ARI connection (to the simulator or a real Asterisk, whichever ARI_URL names).
import path from 'node:path';
import { Redis } from 'ioredis';
import { scaledTimers, realTimers } from '../flows/timers.js';
import { loadCalendar } from '../lib/calendar/calendar.js';
import { scheduleCalendar } from '../lib/calendar/schedules.js';
import { isPromptId } from '../prompts/catalogue.js';
import type { Component } from '../scripts/components.js';
import { Controller } from './controller.js';
import { FlowStore } from './flow-store.js';
import { databaseLookups } from './lookups.js';
import { CallEventSink } from './records/emitter.js';
import { CallEvents } from './records/recorder.js';
import { RoutingAcd } from './acd/acd.js';
import { ariBinding } from './acd/ari-ops.js';
import { StaffDirectory } from './acd/directory.js';
import { PgPresenceHistory } from './acd/presence-history.js';
import { Presence } from './acd/presence.js';
import { workOrderFirstInquiry } from '../agent-desk/first-inquiry.js';

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
    // One CallEvents for the controller and the ACD: the per-call event sequence must be shared.
    const recorder = new CallEvents(sink);
    const history = PgPresenceHistory.fromOrm(orm, log);
    const presence = new Presence({ redis, keyPrefix: prefix, log, history, timers, clock: () => timers.now() });
    const acd: RoutingAcd = new RoutingAcd({
      redis, keyPrefix: prefix, app: config.ari.app, log, timers, presence, directory: StaffDirectory.fromOrm(orm, log),
      firstInquiry: workOrderFirstInquiry(orm), onAnswered: (id, staff) => recorder.answered(id, staff),
      // The controller is created next; by the time a call is offered it exists.
      ivrPath: (callId): Array<{ node: string; digits?: string }> => controller.ivrPath(callId),
    });
    const controller: Controller = new Controller({ ari: config.ari, log, flows, recorder, calendar, redis, keyPrefix: prefix, lookups, timers, acd });
    await acd.bind(ariBinding(controller));
    controller.start();
    return {
      urls: [`ari:${config.ari.url} app ${config.ari.app}`],
      async stop() {
        await controller.stop();
        await acd.stop();
        presence.stop();
        await history.close();
        flows.stop();
        await sink.close(5000);
        redis.disconnect();
      },
    };
  },
};
