// The S3-compatible implementation of BlobStore (MinIO, Ceph RGW, a cloud bucket): path-style object URLs signed
// with AWS Signature V4 by aws4fetch. Deliberately small: put, ranged get, head, delete. Free space is the bucket
// operator's concern, so there is no disk floor here.
import { AwsClient } from 'aws4fetch';
import type { BlobStore } from './storage.js';

export interface S3Options { endpoint: string; bucket: string; region: string; accessKey: string; secretKey: string }

export class S3BlobStore implements BlobStore {
  readonly backend = 's3' as const;
  private readonly client: AwsClient;

  constructor(private readonly o: S3Options) {
    this.client = new AwsClient({ accessKeyId: o.accessKey, secretAccessKey: o.secretKey, region: o.region, service: 's3', retries: 0 });
  }

  /** Path-style: works with every S3-compatible server, no DNS per bucket. */
  url(key: string): string {
    const base = this.o.endpoint.replace(/\/+$/, '');
    return `${base}/${encodeURIComponent(this.o.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  private async send(method: string, key: string, init: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
    const res = await this.client.fetch(this.url(key), { method, headers: init.headers, body: init.body ? new Uint8Array(init.body) : undefined });
    return res;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const res = await this.send('PUT', key, { body: data, headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`S3 PUT ${key}: HTTP ${res.status}`);
  }

  async read(key: string, offset: number, length: number): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    const res = await this.send('GET', key, { headers: { range: `bytes=${offset}-${offset + length - 1}` } });
    const body = Buffer.from(await res.arrayBuffer());
    // 416: the range starts past the end (a short final read), which a file read would answer with nothing.
    if (res.status === 416) return Buffer.alloc(0);
    if (res.status !== 206 && res.status !== 200) throw new Error(`S3 GET ${key}: HTTP ${res.status}`);
    return res.status === 200 ? body.subarray(offset, offset + length) : body;
  }

  async size(key: string): Promise<number | undefined> {
    const res = await this.send('HEAD', key);
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`S3 HEAD ${key}: HTTP ${res.status}`);
    return Number(res.headers.get('content-length'));
  }

  async remove(key: string): Promise<void> {
    const res = await this.send('DELETE', key);
    await res.arrayBuffer();
    if (!res.ok && res.status !== 404) throw new Error(`S3 DELETE ${key}: HTTP ${res.status}`);
  }
}
