// The S3-compatible store's requests, against a small fake S3 on loopback (no real bucket here): path-style URLs,
// SigV4 signatures, ranged GETs, 404 on HEAD, DELETE of a missing object tolerated. Not run against a real bucket.
import { createServer, type IncomingMessage } from 'node:http';
import t from 'tap';
import { S3BlobStore } from '../recordings-store/s3.js';

t.test('put, ranged read, size, remove: the requests a bucket gets', async (t) => {
  const objects = new Map<string, Buffer>();
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      const obj = objects.get(req.url!);
      if (req.method === 'PUT') { objects.set(req.url!, Buffer.concat(chunks)); res.writeHead(200).end(); return; }
      if (req.method === 'DELETE') { objects.delete(req.url!); res.writeHead(204).end(); return; }
      if (!obj) { res.writeHead(404).end(); return; }
      if (req.method === 'HEAD') { res.writeHead(200, { 'content-length': obj.length }).end(); return; }
      const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
      if (!m) { res.writeHead(200).end(obj); return; }
      if (Number(m[1]) >= obj.length) { res.writeHead(416).end(); return; }
      res.writeHead(206).end(obj.subarray(Number(m[1]), Number(m[2]) + 1));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const s3 = new S3BlobStore({ endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, bucket: 'rec', region: 'cn-north-1', accessKey: 'AK', secretKey: 'SK' });
  const data = Buffer.from('0123456789abcdef');
  await s3.put('2026/11/26/call-1.2-101-1.hrec', data);
  t.same(await s3.read('2026/11/26/call-1.2-101-1.hrec', 4, 6), Buffer.from('456789'));
  t.same(await s3.read('2026/11/26/call-1.2-101-1.hrec', 99, 6), Buffer.alloc(0), 'past the end: nothing');
  t.equal(await s3.size('2026/11/26/call-1.2-101-1.hrec'), 16);
  t.equal(await s3.size('nope'), undefined);
  await s3.remove('2026/11/26/call-1.2-101-1.hrec');
  await s3.remove('2026/11/26/call-1.2-101-1.hrec');
  t.equal(objects.size, 0);
  const put = seen[0];
  t.equal(put.url, '/rec/2026/11/26/call-1.2-101-1.hrec', 'path-style');
  t.match(put.headers.authorization, /^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/cn-north-1\/s3\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
  t.match(put.headers['x-amz-content-sha256'], /^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/);
  t.equal(seen[1].headers.range, 'bytes=4-9');
  await t.rejects(new S3BlobStore({ endpoint: 'http://127.0.0.1:1', bucket: 'b', region: 'r', accessKey: 'a', secretKey: 's' }).put('x', data), 'unreachable bucket: an error to retry on');
});
