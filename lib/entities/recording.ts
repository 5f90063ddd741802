// Recordings and what surrounds them (migrations/Migration20261126100000_recordings.ts): the recording itself from
// start to purge, the pauses a lawyer made during it, legal holds, and the append-only access audit log.
// recordings-store/ writes them; the desk reads them.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RECORDING_KINDS = ['call', 'voicemail'] as const;
export type RecordingKind = (typeof RECORDING_KINDS)[number];
/**
 * recording: Asterisk is recording it · finished: the file is on Asterisk, waiting to be copied · stored: copied,
 * verified, encrypted, and deleted from Asterisk · failed: there is no usable recording (`failure` says why) ·
 * purged: deleted at the end of its retention.
 */
export const RECORDING_STATUSES = ['recording', 'finished', 'stored', 'failed', 'purged'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];
export const AUDIT_ACTIONS = ['play', 'download', 'purge', 'hold', 'release'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const ts = () => p.datetime().columnType('timestamptz');

export const Recording = defineEntity({
  name: 'Recording',
  tableName: 'recording',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    /** The name Asterisk knows it by (live and stored recordings). */
    name: p.text().unique(),
    callId: p.text(),
    kind: p.enum([...RECORDING_KINDS]).columnType('text'),
    /** The lawyer on the call (null for voicemail). */
    staffNo: p.text().nullable(),
    workOrderId: p.bigint('string').nullable(),
    status: p.enum([...RECORDING_STATUSES]).columnType('text'),
    failure: p.text().nullable(),
    startedAt: ts().nullable(),
    finishedAt: ts().nullable(),
    /** Whole seconds, as RecordingFinished reports it. */
    reportedDurationS: p.integer().nullable(),
    /** From the WAV itself once stored. */
    durationMs: p.integer().nullable(),
    /** Of the plaintext WAV. */
    sizeBytes: p.bigint('number').nullable(),
    sha256: p.text().nullable(),
    keyId: p.text().nullable(),
    storageBackend: p.text().nullable(),
    storagePath: p.text().nullable(),
    storedAt: ts().nullable(),
    asteriskDeletedAt: ts().nullable(),
    purgedAt: ts().nullable(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    createdAt: ts().defaultRaw('now()').onCreate(() => new Date()),
    updatedAt: ts().defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Recording = InferEntity<typeof Recording>;

export const RecordingPause = defineEntity({
  name: 'RecordingPause',
  tableName: 'recording_pause',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    recordingName: p.text(),
    callId: p.text(),
    staffNo: p.text(),
    action: p.enum(['pause', 'resume']).columnType('text'),
    /** Position in the recording (silence is kept in place, so this is also where it sits in the file). */
    offsetMs: p.integer(),
    at: ts(),
  },
});
export type RecordingPause = InferEntity<typeof RecordingPause>;

export const LegalHold = defineEntity({
  name: 'LegalHold',
  tableName: 'legal_hold',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    /** Exactly one of callId / callerNumber. */
    callId: p.text().nullable(),
    callerNumber: p.text().nullable(),
    reason: p.text(),
    createdBy: p.text(),
    createdAt: ts().defaultRaw('now()').onCreate(() => new Date()),
    releasedBy: p.text().nullable(),
    releasedAt: ts().nullable(),
  },
});
export type LegalHold = InferEntity<typeof LegalHold>;

export const RecordingAudit = defineEntity({
  name: 'RecordingAudit',
  tableName: 'recording_audit',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    at: ts().defaultRaw('now()').onCreate(() => new Date()),
    /** A staff number, or `system:<job>` for the purge. */
    actor: p.text(),
    actorRole: p.text().nullable(),
    action: p.enum([...AUDIT_ACTIONS]).columnType('text'),
    recordingId: p.bigint('string').nullable(),
    callId: p.text().nullable(),
    remoteAddr: p.text().nullable(),
    userAgent: p.text().nullable(),
    details: p.json<Record<string, unknown>>().columnType('jsonb').nullable(),
  },
});
export type RecordingAudit = InferEntity<typeof RecordingAudit>;
