// Where encrypted recordings live: a storage interface with the local filesystem as the default implementation (the
// S3-compatible one is s3.ts). Paths are relative keys (`2026/11/26/call-….hrec`); the store never sees plaintext.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';

export interface BlobStore {
  readonly backend: 'fs' | 's3';
  /** Writes the whole object; afterwards a read returns exactly these bytes (atomic: never a half-written file). */
  put(key: string, data: Buffer): Promise<void>;
  /** `length` bytes from `offset` (fewer at the end of the object). */
  read(key: string, offset: number, length: number): Promise<Buffer>;
  /** Object size, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Deletes; a missing object is not an error (a purge may run twice). */
  remove(key: string): Promise<void>;
  /** Free bytes where objects go, when the store can tell (a disk; a bucket cannot). */
  freeBytes?(): Promise<number>;
}

/** The store is below its configured floor of free space: nothing is written, an alarm is raised. */
export class DiskFloorError extends Error {
  constructor(readonly freeBytes: number, readonly floorBytes: number) {
    super(`recordings store below its free-space floor: ${Math.round(freeBytes / 1048576)} MB free, floor ${Math.round(floorBytes / 1048576)} MB`);
    this.name = 'DiskFloorError';
  }
}

export function objectKey(name: string, at: Date): string {
  const d = at.toISOString();
  return `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${name.replace(/[^\w.-]/g, '_')}.hrec`;
}

export class FsBlobStore implements BlobStore {
  readonly backend = 'fs' as const;

  constructor(readonly dir: string, private readonly opts: { minFreeBytes?: number } = {}) {}

  private file(key: string): string {
    const f = path.resolve(this.dir, key);
    if (!f.startsWith(path.resolve(this.dir) + path.sep)) throw new Error(`storage key outside the store: ${key}`);
    return f;
  }

  async freeBytes(): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    const s = await statfs(this.dir);
    return s.bavail * s.bsize;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const floor = this.opts.minFreeBytes ?? 0;
    const free = await this.freeBytes();
    if (free - data.length < floor) throw new DiskFloorError(free, floor);
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
    // The rename itself is durable only once the directory is synced.
    const dh = await open(path.dirname(target), 'r');
    try { await dh.sync(); } finally { await dh.close(); }
  }

  async read(key: string, offset: number, length: number): Promise<Buffer> {
    const fh = await open(this.file(key), 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async size(key: string): Promise<number | undefined> {
    try { return (await stat(this.file(key))).size; } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}
