// bull-board (队列监控) at /admin/queues for operators: the callbacks, after-call and recordings queues, behind the
// desk's own login. Its routes are bull-board's, not ours, so this encapsulated plugin stamps `config.access` on each
// of them as they are added: the desk's access hook (access.ts) then refuses strangers (401) and other roles (403)
// exactly as for the API, before bull-board sees the request.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Role } from '../lib/entities/staff.js';
import { bullPrefix, QUEUE_NAME as RECORDINGS_QUEUE } from '../recordings-store/jobs.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_ROLES: readonly Role[] = ['supervisor', 'admin'];

export interface QueueBoardOptions {
  /** The hotline's key prefix (queue names and the recordings queue's BullMQ prefix come from it). Not `prefix`: that
   * option of register() is Fastify's route prefix. */
  keyPrefix: string;
  /** The desk's command connection: the board duplicates it for BullMQ and closes its copy with the desk. */
  redis: Redis;
}

/** The queues the board shows: `<prefix>-callbacks`, `<prefix>-after-call`, and recordings under `<prefix>:bull`. */
export function boardQueues(prefix: string, connection: Redis): Queue[] {
  return [
    new Queue(`${prefix}-callbacks`, { connection }),
    new Queue(`${prefix}-after-call`, { connection }),
    new Queue(RECORDINGS_QUEUE, { connection, prefix: bullPrefix(prefix) }),
  ];
}

export const queueBoard: FastifyPluginAsync<QueueBoardOptions> = async (app: FastifyInstance, o) => {
  // BullMQ wants a connection that retries for ever rather than failing a command after a few tries.
  const connection = o.redis.duplicate({ maxRetriesPerRequest: null });
  connection.on('error', (err: Error) => app.log.warn({ err: err.message }, 'queue board: redis unavailable'));
  const queues = boardQueues(o.keyPrefix, connection);
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: '12348 队列监控', locale: { lng: 'zh-CN' }, hideDocsLink: true } },
  });
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), access: QUEUE_BOARD_ROLES };
  });
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  });
  await app.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
};
