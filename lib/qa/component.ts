// QA scoring's background part as a component of `npm start`: the daily sample (lib/qa/jobs.ts), with the working-day
// calendar built like the IVR's (bundled and admin holiday files, then the years stored in the database).
import path from 'node:path';
import { loadCalendar } from '../calendar/index.js';
import { loudWarnings } from '../after-call/calendar-store.js';
import type { Component } from '../../scripts/components.js';
import { QaJobs } from './jobs.js';

export const qaComponent: Component = {
  name: 'qa',
  async start({ config, log: parent, orm, redisUrl }) {
    const log = parent.child({ component: 'qa' });
    const calendar = loadCalendar({ extraDir: path.join(config.dataDir, 'calendar'), hours: config.centre.hours, onWarning: loudWarnings(log) });
    const jobs = new QaJobs({ orm, redisUrl, prefix: config.ivr.keyPrefix, calendar, rate: config.qa.sampleRate, log });
    await jobs.start();
    log.info({ rate: config.qa.sampleRate, queue: jobs.queueName }, 'qa: daily sample scheduled');
    return { async stop() { await jobs.stop(); } };
  },
};
