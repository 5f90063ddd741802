import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Flow } from '../flows/nodes/index.js';
import { formatProblem, loadFlow, type LoadOptions } from '../flows/load.js';
import { FlowRevision } from '../lib/entities/flow-revision.js';
import type { FlowSource } from './controller.js';

export class FlowRejected extends Error {
  constructor(readonly problems: string[]) { super(`flow refused:\n${problems.join('\n')}`); }
}

interface Loaded { name: string; revision: number; flow: Flow }

/**
 * Published flows in PostgreSQL. Publishing validates (never mid-call) and appends a revision; new calls take the
 * newest one known here, which a poll keeps fresh, so publishing never disturbs a call in progress. When the
 * database cannot be reached at start, the flow file itself runs as revision 0 and that is logged loudly: calls are
 * never refused for want of a database.
 */
export class FlowStore implements FlowSource {
  private latest?: Loaded;
  private readonly revisions = new Map<number, Loaded>();
  private poller?: NodeJS.Timeout;

  constructor(private readonly orm: MikroORM | undefined, private readonly name: string, private readonly log: Logger, private readonly loadOpts: LoadOptions = {}) {}

  current(): Loaded {
    if (!this.latest) throw new Error(`flow ${this.name} is not loaded`);
    return this.latest;
  }

  revision(revision: number): Loaded | undefined { return this.revisions.get(revision); }

  private parse(text: string, file: string, revision: number): Loaded {
    const r = loadFlow(text, file, this.loadOpts);
    if ('problems' in r) throw new FlowRejected(r.problems.map(formatProblem));
    return { name: this.name, revision, flow: r.flow };
  }

  /** Validates and stores a new revision; returns its number. */
  async publish(text: string, by: string, note?: string): Promise<number> {
    this.parse(text, `${this.name}.yaml`, 0);
    if (!this.orm) throw new Error('publishing needs the database');
    const em = this.orm.em.fork();
    const sha256 = createHash('sha256').update(text).digest('hex');
    const last = await em.findOne(FlowRevision, { name: this.name }, { orderBy: { revision: 'desc' } });
    if (last?.sha256 === sha256) return last.revision;
    const revision = (last?.revision ?? 0) + 1;
    em.create(FlowRevision, { name: this.name, revision, document: text, sha256, publishedBy: by, note: note ?? null, publishedAt: new Date() });
    await em.flush();
    await this.refresh();
    this.log.info({ flow: this.name, revision, by }, 'flow published');
    return revision;
  }

  /**
   * Loads the newest published revision; when the flow file differs from it (a new release, an edited file), the
   * file is published first as the next revision. An invalid file is refused loudly and the last good revision runs.
   */
  async start(file: string, pollMs = 2000): Promise<void> {
    const text = await readFile(file, 'utf8');
    try {
      await this.refresh();
      try {
        await this.publish(text, 'system', `published from ${file} at start`);
      } catch (err) {
        if (!(err instanceof FlowRejected) || !this.latest) throw err;
        this.log.error({ file, problems: err.problems }, `${file} is invalid: calls keep running on revision ${this.latest.revision}`);
      }
    } catch (err) {
      if (err instanceof FlowRejected) throw err;
      this.log.error({ err: (err as Error).message, file }, 'flow store unavailable: running the flow file as revision 0');
      const loaded = this.parse(text, file, 0);
      this.latest = loaded;
      this.revisions.set(0, loaded);
    }
    this.poller = setInterval(() => { this.refresh().catch((err) => this.log.warn({ err: (err as Error).message }, 'flow refresh failed')); }, pollMs);
    this.poller.unref();
  }

  async refresh(): Promise<void> {
    if (!this.orm) return;
    const em = this.orm.em.fork();
    const last = await em.findOne(FlowRevision, { name: this.name }, { orderBy: { revision: 'desc' } });
    if (!last || last.revision === this.latest?.revision) return;
    const loaded = this.parse(last.document, `${this.name}.yaml@${last.revision}`, last.revision);
    this.revisions.set(last.revision, loaded);
    this.latest = loaded;
  }

  stop(): void { clearInterval(this.poller); }
}
