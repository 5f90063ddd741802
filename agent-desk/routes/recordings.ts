// Recordings routes: search, play (HTTP Range, decrypted as it streams), waveform, download (configured roles only),
// the access audit log (supervisors and admins read it; nobody can edit it: PostgreSQL refuses), legal holds, and
// pausing a live call's recording from the desk (a command to whichever controller holds the call).
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { commandChannel, type AcdCommand } from '../../ivr/acd/commands.js';
import type { KeyRing } from '../../recordings-store/crypto.js';
import type { BlobStore } from '../../recordings-store/storage.js';
import { userOf } from '../access.js';
import { badField, DeskError, errorResponses, forbidden, notFound } from '../errors.js';
import { audit, openRecording, parseRange, recordingFor, searchRecordings, waveform } from '../recordings.js';
import { dateOrTime, Disposition, Id, Paging, PhoneNumber, ServiceLine, StaffNo, Timestamp } from '../schemas.js';
import type { DeskDeps } from './deps.js';

export interface RecordingDeps {
  store: BlobStore;
  keys: KeyRing;
  downloadRoles: readonly string[];
  /** Publishes a desk -> controller command; resolves to how many controllers heard it. */
  publish(channel: string, message: string): Promise<number>;
}

const O = Type.Optional;
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const RecordingView = Type.Object({
  id: Type.String(), name: Type.String(), callId: Type.String(), kind: Type.String(), staffNo: N(Type.String()),
  status: Type.String(), failure: N(Type.String()), startedAt: N(Timestamp), finishedAt: N(Timestamp), durationMs: N(Type.Integer()),
  sizeBytes: N(Type.Integer()), callerNumber: N(Type.String()), serviceLine: N(Type.String()), legalTopic: N(Type.String()),
  surveyRating: N(Type.Integer()), workOrderId: N(Type.String()), disposition: N(Type.String()), riskFlag: Type.Boolean(),
  pauses: Type.Integer(), playable: Type.Boolean(), canDownload: Type.Boolean(),
});
const Audio = Type.String({ description: 'audio/wav bytes (all, or the requested range)' });
const AuditView = Type.Object({
  id: Type.String(), at: Timestamp, actor: Type.String(), actorRole: N(Type.String()), action: Type.String(),
  recordingId: N(Type.String()), callId: N(Type.String()), remoteAddr: N(Type.String()), userAgent: N(Type.String()),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
const HoldView = Type.Object({
  id: Type.String(), callId: N(Type.String()), callerNumber: N(Type.String()), reason: Type.String(), createdBy: Type.String(),
  createdAt: Timestamp, releasedBy: N(Type.String()), releasedAt: N(Timestamp),
});
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
type PauseRow = { action: string; offset_ms: number; staff_no: string; at: Date };
type AuditRow = { id: string; at: Date; actor: string; actor_role: string | null; action: string; recording_id: string | null; call_id: string | null;
  remote_addr: string | null; user_agent: string | null; details: Record<string, unknown> | null };
type HoldRow = { id: string; call_id: string | null; caller_number: string | null; reason: string; created_by: string; created_at: Date;
  released_by: string | null; released_at: Date | null };

export const recordingRoutes: FastifyPluginAsyncTypebox<DeskDeps & { recordings: RecordingDeps }> = async (app, deps) => {
  const { store, keys, downloadRoles } = deps.recordings;

  app.get('/api/recordings', {
    config: { access: ['agent', 'supervisor'] },
    schema: {
      tags: ['recordings'], summary: '录音查询 Search recordings, newest first (a lawyer: their own calls)',
      querystring: Type.Object({
        from: O(dateOrTime()), to: O(dateOrTime()), caller: O(PhoneNumber), staffNo: O(StaffNo), line: O(ServiceLine),
        disposition: O(Disposition), risk: O(Type.Boolean()), rating: O(Type.Integer({ minimum: 1, maximum: 3 })),
        status: O(Type.Enum(['recording', 'finished', 'stored', 'failed', 'purged'])), callId: O(Type.String({ minLength: 1, maxLength: 100 })), ...Paging,
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(RecordingView) }), ...errorResponses },
    },
  }, async (req) => searchRecordings(req.em, userOf(req), req.query, downloadRoles));

  app.get('/api/recordings/:id', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['recordings'], summary: '录音详情 One recording, with its pauses', params: Type.Object({ id: Id }),
      response: { 200: Type.Object({ recording: RecordingView, pauses: Type.Array(Type.Object({ action: Type.String(), offsetMs: Type.Integer(), staffNo: Type.String(), at: Timestamp })) }), ...errorResponses } },
  }, async (req) => {
    const { storagePath: _, ...recording } = await recordingFor(req.em, userOf(req), req.params.id, downloadRoles);
    const pauses = await req.em.getConnection().execute('select action, offset_ms, staff_no, at from recording_pause where recording_name = ? order by offset_ms', [recording.name]);
    return { recording, pauses: (pauses as PauseRow[]).map((p) => ({ action: p.action, offsetMs: p.offset_ms, staffNo: p.staff_no, at: iso(p.at)! })) };
  });

  const stream = (download: boolean) => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = userOf(req);
    if (download && !downloadRoles.includes(user.role)) throw forbidden('download is not allowed for your role');
    const r = await recordingFor(req.em, user, req.params.id, downloadRoles);
    if (r.status !== 'stored' || !r.storagePath) throw new DeskError(409, 'conflict', `recording is ${r.status}: nothing to play`);
    const reader = await openRecording(store, keys, r.storagePath);
    const range = download ? undefined : parseRange(req.headers.range, reader.size);
    const start = range?.start ?? 0, end = range?.end ?? reader.size - 1;
    // Written before a byte leaves: an access that cannot be audited does not happen.
    await audit(req.em, req, user, download ? 'download' : 'play', { recordingId: r.id, callId: r.callId },
      range ? { range: `${start}-${end}`, size: reader.size } : { size: reader.size });
    reply.header('content-type', 'audio/wav').header('accept-ranges', 'bytes').header('cache-control', 'no-store')
      .header('content-length', String(end - start + 1));
    if (download) reply.header('content-disposition', `attachment; filename="${r.name}.wav"`);
    if (range) reply.status(206).header('content-range', `bytes ${start}-${end}/${reader.size}`);
    return reply.send(Readable.from(reader.range(start, end)));
  };

  app.get('/api/recordings/:id/audio', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['recordings'], summary: '播放录音 Play (HTTP Range supported; every request is audited)', params: Type.Object({ id: Id }),
      produces: ['audio/wav'], response: { 200: Audio, 206: Audio, ...errorResponses } },
  }, stream(false));

  app.get('/api/recordings/:id/download', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['recordings'], summary: '下载录音 Download (RECORDINGS_DOWNLOAD_ROLES only; audited)', params: Type.Object({ id: Id }),
      produces: ['audio/wav'], response: { 200: Audio, ...errorResponses } },
  }, stream(true));

  app.get('/api/recordings/:id/waveform', {
    config: { access: ['agent', 'supervisor'] },
    schema: { tags: ['recordings'], summary: '波形 Waveform peaks (0..1) for drawing', params: Type.Object({ id: Id }),
      response: { 200: Type.Object({ durationMs: Type.Integer(), peaks: Type.Array(Type.Number()) }), ...errorResponses } },
  }, async (req) => {
    const r = await recordingFor(req.em, userOf(req), req.params.id, downloadRoles);
    if (r.status !== 'stored' || !r.storagePath) throw new DeskError(409, 'conflict', `recording is ${r.status}`);
    return waveform(await openRecording(store, keys, r.storagePath));
  });

  app.get('/api/recording-audit', {
    config: { access: ['supervisor', 'admin'] },
    schema: { tags: ['recordings'], summary: '录音访问审计 The access audit log (read only), newest first',
      querystring: Type.Object({ recordingId: O(Id), actor: O(Type.String({ maxLength: 64 })), action: O(Type.Enum(['play', 'download', 'purge', 'hold', 'release'])), ...Paging }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(AuditView) }), ...errorResponses } },
  }, async (req) => {
    const q = req.em.getKnex()('recording_audit');
    if (req.query.recordingId) q.where('recording_id', req.query.recordingId);
    if (req.query.actor) q.where('actor', req.query.actor);
    if (req.query.action) q.where('action', req.query.action);
    const rows = await q.orderBy('id', 'desc').limit(req.query.limit ?? 50).offset(req.query.offset ?? 0);
    return { items: (rows as AuditRow[]).map((a) => ({ id: String(a.id), at: iso(a.at)!, actor: a.actor, actorRole: a.actor_role, action: a.action,
      recordingId: a.recording_id === null ? null : String(a.recording_id), callId: a.call_id, remoteAddr: a.remote_addr, userAgent: a.user_agent, details: a.details })) };
  });

  const holdView = (h: HoldRow) => ({ id: String(h.id), callId: h.call_id, callerNumber: h.caller_number, reason: h.reason, createdBy: h.created_by,
    createdAt: iso(h.created_at)!, releasedBy: h.released_by, releasedAt: iso(h.released_at) });

  app.post('/api/legal-holds', {
    config: { access: ['supervisor', 'admin'] },
    schema: { tags: ['recordings'], summary: '法律保全 Put a legal hold on a call or a caller (stops deletion)',
      body: Type.Object({ callId: O(Type.String({ minLength: 1, maxLength: 100 })), callerNumber: O(PhoneNumber), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 201: HoldView, ...errorResponses } },
  }, async (req, reply) => {
    const { callId, callerNumber, reason } = req.body;
    if (!callId === !callerNumber) throw badField('callId', 'give exactly one of callId and callerNumber');
    if (!reason.trim()) throw badField('reason', 'is required');
    const user = userOf(req);
    const [h] = (await req.em.getConnection().execute('insert into legal_hold (call_id, caller_number, reason, created_by) values (?, ?, ?, ?) returning *',
      [callId ?? null, callerNumber ?? null, reason.trim(), user.staffNo])) as HoldRow[];
    await audit(req.em, req, user, 'hold', { callId }, { holdId: String(h.id), callerNumber, reason });
    return reply.status(201).send(holdView(h));
  });

  app.get('/api/legal-holds', {
    config: { access: ['supervisor', 'admin'] },
    schema: { tags: ['recordings'], summary: '保全列表 Legal holds, active first', response: { 200: Type.Object({ items: Type.Array(HoldView) }), ...errorResponses } },
  }, async (req) => ({
    items: ((await req.em.getConnection().execute('select * from legal_hold order by released_at is not null, created_at desc limit 500')) as HoldRow[]).map(holdView),
  }));

  app.delete('/api/legal-holds/:id', {
    config: { access: ['supervisor', 'admin'] },
    schema: { tags: ['recordings'], summary: '解除保全 Release a legal hold', params: Type.Object({ id: Id }), response: { 200: HoldView, ...errorResponses } },
  }, async (req) => {
    const user = userOf(req);
    const [h] = (await req.em.getConnection().execute(`update legal_hold set released_at = now(), released_by = ? where id = ? and released_at is null returning *`, [user.staffNo, req.params.id])) as HoldRow[];
    if (!h) throw notFound('active legal hold');
    await audit(req.em, req, user, 'release', { callId: h.call_id ?? undefined }, { holdId: String(h.id), callerNumber: h.caller_number });
    return holdView(h);
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/api/calls/:callId/recording/${action}`, {
      config: { access: ['agent', 'supervisor'] },
      schema: { tags: ['recordings'], summary: action === 'pause' ? '暂停录音 Pause the live call’s recording (silence kept in place)' : '恢复录音 Resume the recording',
        params: Type.Object({ callId: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 202: Type.Object({ callId: Type.String(), action: Type.String() }), ...errorResponses } },
    }, async (req, reply) => {
      const user = userOf(req);
      const { callId } = req.params;
      // A lawyer only on the call they are talking on now; a supervisor on any.
      if (user.role === 'agent' && !(await deps.handling.calls(user.staffNo)).some((c) => c.callId === callId && c.state === 'answered')) {
        throw forbidden('only the lawyer on this call can pause its recording');
      }
      const cmd: AcdCommand = { type: 'recording', action, callId, staffNo: user.staffNo };
      const heard = await deps.recordings.publish(commandChannel(deps.config.ivr.keyPrefix), JSON.stringify(cmd));
      if (!heard) throw new DeskError(503, 'unavailable', 'no call controller is listening');
      req.log.info({ callId, action, by: user.staffNo }, 'recording pause/resume requested');
      return reply.status(202).send({ callId, action });
    });
  }
};
