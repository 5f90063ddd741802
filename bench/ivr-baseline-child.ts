// The floor for `npm run bench`: the smallest hand-written ari-client IVR doing the steps a 12348 caller goes
// through — answer, play a prompt, collect one digit (stopping the prompt if it still plays), play a second prompt,
// hang up when it has finished. No flow, no records, no state, no timers. Its own process, driven over IPC by
// bench/ivr-bench.ts like the controller child.
import ari from 'ari-client';
import { KeypressTimer, serveParent, skipBufferDeprecationChecks } from './child-common.js';

const url = process.env.BENCH_ARI_URL;
if (!url) throw new Error('BENCH_ARI_URL is not set');
const FIRST = process.env.BENCH_BASELINE_FIRST ?? 'sound:consultation-menu';
const SECOND = process.env.BENCH_BASELINE_SECOND ?? 'sound:transferring';

interface Call { stage: 'prompt' | 'closing'; firstDone: boolean }
const calls = new Map<string, Call>();
skipBufferDeprecationChecks();
const timer = new KeypressTimer();
let started = 0, ended = 0, dtmf = 0, errors = 0;
const failed = () => { errors++; };

const client = await ari.connect(url, 'hotline', 'hotline');
client.on('StasisStart', (ev, ch) => {
  if (ev.args?.[0] !== 'inbound') return;
  started++;
  calls.set(ch.id, { stage: 'prompt', firstDone: false });
  client.channels.answer({ channelId: ch.id })
    .then(() => client.channels.play({ channelId: ch.id, media: FIRST, lang: 'zh', playbackId: `${ch.id}-pb1` } as never))
    .catch(failed);
});
client.on('ChannelDtmfReceived', (_ev, ch) => {
  dtmf++;
  const c = calls.get(ch.id);
  if (!c || c.stage !== 'prompt') return;
  timer.dtmf(ch.id);
  c.stage = 'closing';
  if (!c.firstDone) client.playbacks.stop({ playbackId: `${ch.id}-pb1` }).catch(() => undefined);
  client.channels.play({ channelId: ch.id, media: SECOND, lang: 'zh', playbackId: `${ch.id}-pb2` } as never).catch(failed);
});
client.on('PlaybackFinished', (ev) => {
  const m = /^(.*)-pb([12])$/.exec(ev.playback.id);
  if (!m) return;
  const c = calls.get(m[1]);
  if (!c) return;
  if (m[2] === '1') c.firstDone = true;
  else client.channels.hangup({ channelId: m[1] }).catch(failed);
});
client.on('StasisEnd', (_ev, ch) => {
  if (!calls.delete(ch.id)) return;
  ended++;
  timer.forget(ch.id);
});
await client.start('hotline');
// Every event frame, counted where ari-client receives it.
(client as unknown as { _ws: { prependListener(e: string, f: () => void): void } })._ws.prependListener('message', () => timer.event());

serveParent({
  timer,
  extra: () => ({ sinceStart: { stasisStart: started, stasisEnd: ended, dtmfEvents: dtmf, requestErrors: errors }, liveCalls: calls.size }),
  async stop() { await client.stop(); },
});
process.send!({ ready: true });
