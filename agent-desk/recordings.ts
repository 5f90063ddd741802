// Recordings on the desk: search (supervisors see all; a lawyer only the calls they took), who may open which
// recording, HTTP Range playback that decrypts only the chunks a range touches, a waveform from the decrypted PCM,
// and the access audit log every play and download is written to.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import { decodePcm16, parseWav } from '../pbx-sim/media/wav.js';
import { EncryptedReader, type KeyRing } from '../recordings-store/crypto.js';
import type { BlobStore } from '../recordings-store/storage.js';
import type { AuditAction } from '../lib/entities/recording.js';
import type { DeskUser } from './access.js';
import { DeskError, notFound } from './errors.js';
import { timeRange } from './time.js';

export interface RecordingQuery {
  from?: string; to?: string; caller?: string; staffNo?: string; line?: string; disposition?: string;
  risk?: boolean; rating?: number; status?: string; callId?: string; limit?: number; offset?: number;
}

interface Row {
  id: string; name: string; call_id: string; kind: string; staff_no: string | null; status: string; failure: string | null;
  started_at: Date | null; finished_at: Date | null; duration_ms: number | null; size_bytes: string | null; storage_path: string | null;
  caller_number: string | null; service_line: string | null; legal_topic: string | null; survey_rating: number | null;
  work_order_id: string | null; disposition: string | null; risk_flag: boolean | null; pauses: number;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function view(r: Row, canDownload: boolean) {
  return {
    id: String(r.id), name: r.name, callId: r.call_id, kind: r.kind, staffNo: r.staff_no, status: r.status, failure: r.failure,
    startedAt: iso(r.started_at), finishedAt: iso(r.finished_at), durationMs: r.duration_ms, sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    callerNumber: r.caller_number, serviceLine: r.service_line, legalTopic: r.legal_topic, surveyRating: r.survey_rating,
    workOrderId: r.work_order_id === null ? null : String(r.work_order_id), disposition: r.disposition, riskFlag: r.risk_flag ?? false,
    pauses: Number(r.pauses), playable: r.status === 'stored', canDownload: canDownload && r.status === 'stored',
  };
}
export type RecordingView = ReturnType<typeof view>;

function base(em: EntityManager) {
  const knex = em.getKnex();
  return knex('recording as r')
    .leftJoin('call_record as c', 'c.call_id', 'r.call_id')
    .leftJoin('work_order as w', 'w.call_id', 'r.call_id');
}

function columns(em: EntityManager) {
  const knex = em.getKnex();
  return ['r.*', 'c.caller_number', 'c.service_line', 'c.legal_topic', 'c.survey_rating', knex.raw('w.id::text as work_order_id'),
    'w.disposition', 'w.risk_flag', knex.raw('(select count(*) from recording_pause p where p.recording_name = r.name and p.action = \'pause\')::int as pauses')];
}

/**
 * A lawyer sees the recordings of calls they took, and the voicemail of a callback they are to make (the lawyers'
 * team's, or one of their own, while it is open) — they must hear the message before calling back. Supervisors see
 * all of them.
 */
function scoped(q: ReturnType<typeof base>, user: DeskUser): ReturnType<typeof base> {
  if (user.role === 'supervisor') return q;
  return q.where((w) => {
    void w.where('r.staff_no', user.staffNo).orWhereExists((sub) => {
      void sub.select(1).from('callback as cb')
        .whereRaw('cb.recording = r.name')
        .where('cb.kind', 'voicemail')
        .whereIn('cb.status', ['pending', 'dialling'])
        .where((o) => { void o.where('cb.owner_staff_no', user.staffNo).orWhere((t) => { void t.whereNull('cb.owner_staff_no').where('cb.team', 'lawyers'); }); });
    });
  });
}

export async function searchRecordings(em: EntityManager, user: DeskUser, q: RecordingQuery, downloadRoles: readonly string[]) {
  const range = timeRange(q.from, q.to);
  const b = scoped(base(em), user);
  if (range.from) b.where('r.finished_at', '>=', range.from);
  if (range.to) b.where('r.finished_at', '<', range.to);
  if (q.caller) b.where('c.caller_number', q.caller);
  if (q.staffNo) b.where('r.staff_no', q.staffNo);
  if (q.line) b.where('c.service_line', q.line);
  if (q.disposition) b.where('w.disposition', q.disposition);
  if (q.risk !== undefined) b.where((x) => void (q.risk ? x.where('w.risk_flag', true) : x.whereNull('w.risk_flag').orWhere('w.risk_flag', false)));
  if (q.rating !== undefined) b.where('c.survey_rating', q.rating);
  if (q.status) b.where('r.status', q.status);
  if (q.callId) b.where('r.call_id', q.callId);
  const [{ count }] = (await b.clone().count({ count: '*' })) as Array<{ count: string | number }>;
  const rows = (await b.clone().select(columns(em))
    .orderBy([{ column: 'r.finished_at', order: 'desc', nulls: 'last' }, { column: 'r.id', order: 'desc' }])
    .limit(q.limit ?? 50).offset(q.offset ?? 0)) as Row[];
  const dl = downloadRoles.includes(user.role);
  return { total: Number(count), items: rows.map((r) => view(r, dl)) };
}

/** One recording the user may open; anything else (someone else's, or no such id) is the same 404. */
export async function recordingFor(em: EntityManager, user: DeskUser, id: string, downloadRoles: readonly string[]): Promise<RecordingView & { storagePath: string | null }> {
  const r = (await scoped(base(em), user).where('r.id', id).select(columns(em)).first()) as Row | undefined;
  if (!r) throw notFound('recording');
  return { ...view(r, downloadRoles.includes(user.role)), storagePath: r.storage_path };
}

export async function audit(em: EntityManager, req: FastifyRequest, user: DeskUser | { staffNo: string; role: string }, action: AuditAction,
  target: { recordingId?: string; callId?: string }, details?: Record<string, unknown>): Promise<void> {
  await em.getConnection().execute(`insert into recording_audit (actor, actor_role, action, recording_id, call_id, remote_addr, user_agent, details)
    values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)`, [user.staffNo, user.role, action, target.recordingId ?? null, target.callId ?? null, req.ip ?? null,
    String(req.headers['user-agent'] ?? '').slice(0, 300) || null, details ? JSON.stringify(details) : null]);
}

/** Opens the stored file for reading plaintext ranges. */
export async function openRecording(store: BlobStore, keys: KeyRing, storagePath: string): Promise<EncryptedReader> {
  return EncryptedReader.open((o, l) => store.read(storagePath, o, l), keys);
}

/** `Range: bytes=a-b | a- | -n` (one range) as inclusive [start, end]; undefined for none; 416 when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = () => new DeskError(416, 'bad_request', `range ${header} not satisfiable (size ${size})`);
  if (!m || (m[1] === '' && m[2] === '')) throw unsatisfiable();
  let start: number, end: number;
  if (m[1] === '') { start = Math.max(0, size - Number(m[2])); end = size - 1; }
  else { start = Number(m[1]); end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1); }
  if (start > end || start >= size) throw unsatisfiable();
  return { start, end };
}

/** Peaks of the waveform: the loudest sample of each of `buckets` equal slices, 0..1. */
export async function waveform(reader: EncryptedReader, buckets = 800): Promise<{ durationMs: number; peaks: number[] }> {
  const wav = await reader.all();
  const info = parseWav(wav);
  const pcm = decodePcm16(wav, info);
  const per = Math.max(1, Math.ceil(pcm.length / buckets));
  const peaks: number[] = [];
  for (let i = 0; i < pcm.length; i += per) {
    let max = 0;
    for (let j = i; j < Math.min(pcm.length, i + per); j++) max = Math.max(max, Math.abs(pcm[j]));
    peaks.push(Math.round((max / 32768) * 1000) / 1000);
  }
  return { durationMs: Math.round(info.durationMs), peaks };
}
