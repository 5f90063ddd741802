import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import { AriError } from '../engine/types.js';
import { noContent, ok, route } from './http.js';

const AUDIO_TYPES: Record<string, string> = { wav: 'audio/wav', gsm: 'audio/x-gsm', ulaw: 'audio/basic', alaw: 'audio/x-alaw-basic', sln: 'audio/x-raw' };

export function mediaRoutes(app: FastifyInstance, e: Engine): void {
  const w = e.w;
  const playback = (id: string) => {
    const pb = w.playbacks.get(id);
    if (!pb) throw new AriError(404, 'Playback not found');
    return pb;
  };
  route(app, 'GET', '/playbacks/:playbackId', (p) => ok(playback(p.path.playbackId).toJson()));
  route(app, 'DELETE', '/playbacks/:playbackId', (p) => { e.media.stop(playback(p.path.playbackId)); return noContent(); });
  route(app, 'POST', '/playbacks/:playbackId/control', (p) => { e.media.control(playback(p.path.playbackId), p.str('operation')); return noContent(); });

  route(app, 'GET', '/recordings/stored', async () => ok(await w.stored.list()));
  route(app, 'GET', '/recordings/stored/:recordingName', (p) => ok(w.stored.get(p.path.recordingName)));
  route(app, 'DELETE', '/recordings/stored/:recordingName', async (p) => { await w.stored.remove(p.path.recordingName); return noContent(); });
  route(app, 'GET', '/recordings/stored/:recordingName/file', async (p) => {
    const f = await w.stored.file(p.path.recordingName);
    return { status: 200, binary: { bytes: f.bytes, type: AUDIO_TYPES[f.format] ?? 'application/octet-stream' } };
  });
  route(app, 'POST', '/recordings/stored/:recordingName/copy', async (p) => {
    const dest = p.str('destinationRecordingName');
    if (!dest) throw new AriError(400, 'Destination recording name is required'); // not traced
    return ok(await w.stored.copy(p.path.recordingName, dest));
  });
  route(app, 'GET', '/recordings/live/:recordingName', (p) => ok(e.recorders.get(p.path.recordingName).toJson()));
  route(app, 'DELETE', '/recordings/live/:recordingName', (p) => { e.recorders.cancel(e.recorders.get(p.path.recordingName)); return noContent(); });
  route(app, 'POST', '/recordings/live/:recordingName/stop', (p) => { e.recorders.stop(e.recorders.get(p.path.recordingName)); return noContent(); });
  route(app, 'POST', '/recordings/live/:recordingName/pause', (p) => { e.recorders.pause(e.recorders.get(p.path.recordingName)); return noContent(); });
  route(app, 'DELETE', '/recordings/live/:recordingName/pause', (p) => { e.recorders.unpause(e.recorders.get(p.path.recordingName)); return noContent(); });
  route(app, 'POST', '/recordings/live/:recordingName/mute', (p) => { e.recorders.mute(e.recorders.get(p.path.recordingName), true); return noContent(); });
  route(app, 'DELETE', '/recordings/live/:recordingName/mute', (p) => { e.recorders.mute(e.recorders.get(p.path.recordingName), false); return noContent(); });

  route(app, 'GET', '/sounds', (p) => ok(w.sounds.list({ lang: p.str('lang'), format: p.str('format') })));
  route(app, 'GET', '/sounds/:soundId', (p) => {
    const s = w.sounds.list().find((x) => x.id === p.path.soundId);
    if (!s) throw new AriError(404, 'Sound not found');
    return ok(s);
  });
}
