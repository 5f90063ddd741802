// Diagnostics for `npm run bench -- --experiment lean-rest`: what the controller would cost if its ARI requests went
// out over plain node:http (keep-alive, JSON) instead of ari-client's swagger-client + shred. It replaces the methods
// of one AriRest instance that the 12348 path uses; anything else still goes through ari-client. Never used by the
// hotline itself and never part of a normal run's figures.
import http from 'node:http';
import { AriRequestError } from '../ivr/ari/rest.js';

type Query = Record<string, string | number | boolean | undefined>;

export function leanRest(baseUrl: string, user: string, password: string) {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true });
  const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

  function call(operation: string, method: string, path: string, query: Query = {}): Promise<unknown> {
    let qs = '';
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs += `${qs ? '&' : '?'}${k}=${encodeURIComponent(String(v))}`;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: base.hostname, port: base.port, method, path: `/ari${path}${qs}`, agent, headers: { authorization: auth } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { body += d; });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let json: unknown;
          try { json = body ? JSON.parse(body) : undefined; } catch { json = body; }
          if (status < 300) { resolve(json); return; }
          const message = (json as { message?: string; error?: string } | undefined)?.message ?? (json as { error?: string } | undefined)?.error ?? String(body || status);
          reject(new AriRequestError(operation, message, status === 404 || /not found/i.test(message)));
        });
      });
      req.on('error', (err) => reject(new AriRequestError(operation, err.message, false)));
      req.end();
    });
  }
  const ch = (id: string) => `/channels/${encodeURIComponent(id)}`;
  return {
    answer: (channelId: string) => call('answer', 'POST', `${ch(channelId)}/answer`),
    hangup: (channelId: string, reason?: string) => call('hangup', 'DELETE', ch(channelId), { reason }),
    getChannel: (channelId: string) => call('getChannel', 'GET', ch(channelId)),
    getApplication: (name: string) => call('getApplication', 'GET', `/applications/${encodeURIComponent(name)}`),
    play: (channelId: string, playbackId: string, media: string[], lang: string) =>
      call('play', 'POST', `${ch(channelId)}/play`, { media: media.join(','), lang, playbackId }),
    stopPlayback: (playbackId: string) => call('stopPlayback', 'DELETE', `/playbacks/${encodeURIComponent(playbackId)}`),
    getPlayback: (playbackId: string) => call('getPlayback', 'GET', `/playbacks/${encodeURIComponent(playbackId)}`),
    startMoh: (channelId: string, mohClass = 'default') => call('startMoh', 'POST', `${ch(channelId)}/moh`, { mohClass }),
    stopMoh: (channelId: string) => call('stopMoh', 'DELETE', `${ch(channelId)}/moh`),
  };
}
