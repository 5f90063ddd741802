// What every BullMQ queue of ours shares: its name under the hotline's key prefix, connections that wait for Redis
// rather than fail (BullMQ's requirement: maxRetriesPerRequest null), a worker that logs failures, and a stop that
// lets running jobs finish and closes every connection it opened.
import { Queue, Worker, type Job, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface JobQueueBase { redisUrl: string; prefix: string; log: Logger }

export abstract class JobQueue {
  readonly queueName: string;
  readonly queue: Queue;
  protected worker?: Worker;
  private readonly conns: Redis[] = [];

  constructor(private readonly base: JobQueueBase, private readonly what: string) {
    this.queueName = `${base.prefix}-${what}`;
    this.queue = new Queue(this.queueName, { connection: this.connection() });
  }

  protected connection(): Redis {
    const c = new Redis(this.base.redisUrl, { maxRetriesPerRequest: null });
    c.on('error', (err) => this.base.log.warn({ err: err.message }, `${this.what} jobs: redis unavailable`));
    this.conns.push(c);
    return c;
  }

  protected startWorker(concurrency: number, extra: Partial<WorkerOptions> = {}): void {
    this.worker = new Worker(this.queueName, (job) => this.run(job), { connection: this.connection(), concurrency, ...extra });
    this.worker.on('failed', (job, err) => this.base.log.error({ err: err.message, job: job?.id }, `${this.what} job failed`));
  }

  protected abstract run(job: Job): Promise<unknown>;

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    for (const c of this.conns) c.disconnect();
  }
}
