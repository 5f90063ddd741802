// Stored recordings on Asterisk over ARI's REST interface (BEHAVIOUR e): download the file, delete it. Plain HTTP
// rather than ari-client, whose swagger layer is not made for binary bodies.

export interface AsteriskFiles {
  /** The file's bytes, or 'missing' when Asterisk has no such recording (404). Throws when Asterisk cannot answer. */
  fetch(name: string): Promise<{ bytes: Buffer; contentLength?: number } | 'missing'>;
  /** Deletes it; a recording already gone is fine. */
  remove(name: string): Promise<void>;
}

export class AsteriskUnavailable extends Error {}

export function ariFiles(o: { url: string; user: string; password: string; timeoutMs?: number }): AsteriskFiles {
  const base = `${o.url.replace(/\/+$/, '')}/ari/recordings/stored/`;
  const auth = 'Basic ' + Buffer.from(`${o.user}:${o.password}`).toString('base64');
  const request = async (method: string, url: string): Promise<Response> => {
    try {
      return await fetch(url, { method, headers: { authorization: auth }, signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new AsteriskUnavailable(`ARI ${method} ${url}: ${(err as Error).message}`);
    }
  };
  return {
    async fetch(name) {
      const res = await request('GET', `${base}${encodeURIComponent(name)}/file`);
      const bytes = Buffer.from(await res.arrayBuffer().catch((err: Error) => { throw new AsteriskUnavailable(`ARI download of ${name} broke off: ${err.message}`); }));
      if (res.status === 404) return 'missing';
      if (res.status !== 200) throw new AsteriskUnavailable(`ARI GET ${name}: HTTP ${res.status}`);
      const len = res.headers.get('content-length');
      return { bytes, contentLength: len === null ? undefined : Number(len) };
    },
    async remove(name) {
      const res = await request('DELETE', `${base}${encodeURIComponent(name)}`);
      await res.arrayBuffer().catch(() => undefined);
      if (res.status !== 204 && res.status !== 404 && res.status !== 200) throw new AsteriskUnavailable(`ARI DELETE ${name}: HTTP ${res.status}`);
    },
  };
}
