// Recordings at rest: AES-256-GCM in independently authenticated chunks, so a player can seek (an HTTP Range asks
// for the middle of a file) and only the chunks it touches are read and decrypted, each still verified.
//
// Layout: header | chunk 0 | chunk 1 | ... where each chunk is its ciphertext followed by a 16-byte tag.
//   header = "HREC" | version u8 (1) | key id length u8 | key id | chunk size u32 LE | plaintext size u64 LE | salt (16)
// Every file gets its own key, HKDF-SHA256(master key, salt), so chunk nonces can simply count: nonce = chunk index
// (u32 BE) in 11 bytes, then a last-chunk flag byte. The header is every chunk's associated data, so nothing in it
// (key id, sizes) can be altered, and the flag means a file cut short at a chunk boundary does not decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface DataKey { id: string; key: Buffer }

/** The key new files are written with, and every key a file may name (earlier rotations included). */
export class KeyRing {
  private readonly byId = new Map<string, Buffer>();

  constructor(readonly current: DataKey, older: readonly DataKey[] = []) {
    for (const k of [current, ...older]) {
      if (k.key.length !== 32) throw new Error(`recording key ${k.id}: must be 32 bytes`);
      this.byId.set(k.id, k.key);
    }
  }

  get(id: string): Buffer {
    const k = this.byId.get(id);
    if (!k) throw new RecordingCryptoError(`no key with id ${id} (was it rotated out of RECORDINGS_OLD_KEYS?)`);
    return k;
  }
}

export class RecordingCryptoError extends Error {}

const MAGIC = Buffer.from('HREC', 'latin1');
const VERSION = 1;
const TAG = 16;
const SALT = 16;
export const DEFAULT_CHUNK = 64 * 1024;

export interface Header {
  keyId: string;
  chunkSize: number;
  plainSize: number;
  salt: Buffer;
  /** The header's own bytes (associated data of every chunk). */
  raw: Buffer;
}

/** The most a header can take (key ids are at most 255 bytes). */
export const MAX_HEADER = 4 + 1 + 1 + 255 + 4 + 8 + SALT;

function fileKey(master: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, 'hotline-recording-v1', 32));
}

function nonce(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUInt32BE(index, 7);
  n[11] = last ? 1 : 0;
  return n;
}

function header(keyId: string, chunkSize: number, plainSize: number, salt: Buffer): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  if (id.length > 255) throw new RecordingCryptoError('key id too long');
  const h = Buffer.alloc(4 + 1 + 1 + id.length + 4 + 8 + SALT);
  let o = MAGIC.copy(h, 0);
  h[o++] = VERSION;
  h[o++] = id.length;
  o += id.copy(h, o);
  h.writeUInt32LE(chunkSize, o); o += 4;
  h.writeBigUInt64LE(BigInt(plainSize), o); o += 8;
  salt.copy(h, o);
  return h;
}

export function parseHeader(buf: Buffer): Header {
  if (buf.length < 6 || !buf.subarray(0, 4).equals(MAGIC)) throw new RecordingCryptoError('not an encrypted recording (bad magic)');
  if (buf[4] !== VERSION) throw new RecordingCryptoError(`unknown format version ${buf[4]}`);
  const idLen = buf[5];
  const end = 6 + idLen + 4 + 8 + SALT;
  if (buf.length < end) throw new RecordingCryptoError('header truncated');
  const keyId = buf.toString('utf8', 6, 6 + idLen);
  let o = 6 + idLen;
  const chunkSize = buf.readUInt32LE(o); o += 4;
  const plainSize = Number(buf.readBigUInt64LE(o)); o += 8;
  if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024) throw new RecordingCryptoError(`implausible chunk size ${chunkSize}`);
  return { keyId, chunkSize, plainSize, salt: Buffer.from(buf.subarray(o, o + SALT)), raw: Buffer.from(buf.subarray(0, end)) };
}

const chunkCount = (h: Pick<Header, 'chunkSize' | 'plainSize'>) => Math.max(1, Math.ceil(h.plainSize / h.chunkSize));

/** Where chunk `i` starts in the file, and how long its ciphertext (without tag) is. */
function chunkAt(h: Header, i: number): { offset: number; length: number } {
  const length = Math.min(h.chunkSize, h.plainSize - i * h.chunkSize);
  return { offset: h.raw.length + i * (h.chunkSize + TAG), length: Math.max(0, length) };
}

export function encryptedSize(plainSize: number, keyId: string, chunkSize = DEFAULT_CHUNK): number {
  return header(keyId, chunkSize, plainSize, Buffer.alloc(SALT)).length + plainSize + chunkCount({ chunkSize, plainSize }) * TAG;
}

export function encrypt(plain: Buffer, key: DataKey, chunkSize = DEFAULT_CHUNK): Buffer {
  const salt = randomBytes(SALT);
  const h = header(key.id, chunkSize, plain.length, salt);
  const k = fileKey(key.key, salt);
  const n = chunkCount({ chunkSize, plainSize: plain.length });
  const parts: Buffer[] = [h];
  for (let i = 0; i < n; i++) {
    const c = createCipheriv('aes-256-gcm', k, nonce(i, i === n - 1));
    c.setAAD(h);
    parts.push(c.update(plain.subarray(i * chunkSize, (i + 1) * chunkSize)), c.final(), c.getAuthTag());
  }
  return Buffer.concat(parts);
}

/** Reads `length` bytes at `offset` of the stored file (a file handle, an S3 ranged GET). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/** An encrypted file opened for reading ranges of its plaintext. */
export class EncryptedReader {
  private constructor(readonly header: Header, private readonly key: Buffer, private readonly read: ReadAt) {}

  static async open(read: ReadAt, keys: KeyRing): Promise<EncryptedReader> {
    const h = parseHeader(await read(0, MAX_HEADER));
    return new EncryptedReader(h, fileKey(keys.get(h.keyId), h.salt), read);
  }

  get size(): number { return this.header.plainSize; }

  private async chunk(i: number): Promise<Buffer> {
    const n = chunkCount(this.header);
    const { offset, length } = chunkAt(this.header, i);
    const buf = await this.read(offset, length + TAG);
    if (buf.length !== length + TAG) throw new RecordingCryptoError(`chunk ${i} truncated`);
    const d = createDecipheriv('aes-256-gcm', this.key, nonce(i, i === n - 1));
    d.setAAD(this.header.raw);
    d.setAuthTag(buf.subarray(length));
    try {
      return Buffer.concat([d.update(buf.subarray(0, length)), d.final()]);
    } catch {
      throw new RecordingCryptoError(`chunk ${i} failed authentication (wrong key or altered file)`);
    }
  }

  /** Plaintext bytes [start, end] (inclusive), chunk by chunk, each verified before it is yielded. */
  async *range(start: number, end: number): AsyncGenerator<Buffer> {
    const cs = this.header.chunkSize;
    for (let i = Math.floor(start / cs); i * cs <= end && i < chunkCount(this.header); i++) {
      const plain = await this.chunk(i);
      const from = Math.max(0, start - i * cs);
      const to = Math.min(plain.length, end - i * cs + 1);
      yield plain.subarray(from, to);
    }
  }

  async all(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const p of this.range(0, Math.max(0, this.size - 1))) parts.push(p);
    return Buffer.concat(parts).subarray(0, this.size);
  }
}

/** The whole plaintext of an encrypted file held in memory. */
export async function decrypt(file: Buffer, keys: KeyRing): Promise<Buffer> {
  const r = await EncryptedReader.open(async (o, l) => file.subarray(o, o + l), keys);
  return r.all();
}
