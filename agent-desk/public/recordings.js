// The recordings page: search, play with seeking (the browser asks for byte ranges; the server decrypts only those),
// and a waveform drawn from the server's peaks; clicking it seeks. Values from the server go in with textContent.
'use strict';

const LINES = { consultation: '法律咨询', application: '业务申请', appointment: '办事预约', supervision: '政务监督', complaint: '投诉建议', operator: '人工服务' };
const DISPOSITIONS = { resolved: '已解答', follow_up: '需后续办理', transferred: '已转办', referred: '已转介' };
const STATUS = { recording: '录音中', finished: '待归档', stored: '已归档', failed: '录音失败', purged: '已到期删除' };
const $ = (id) => document.getElementById(id);
const cst = (iso) => (iso ? new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16) : '—');
const mmss = (ms) => (ms == null ? '—' : `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`);
let peaks = [];

async function api(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (res.status === 401) { location.href = '/'; throw new Error('请先登录'); }
  const body = await res.json();
  if (!res.ok) throw new Error(body.message || `错误 ${res.status}`);
  return body;
}

function show(err) { $('rec-error').textContent = err ? `操作失败：${err.message}` : ''; }

async function search(ev) {
  if (ev) ev.preventDefault();
  show();
  const q = new URLSearchParams();
  for (const [k, v] of new FormData($('rec-search'))) if (v) q.set(k, String(v));
  try {
    const r = await api(`/api/recordings?${q}`);
    $('rec-total').textContent = `共 ${r.total} 条`;
    const rows = $('rec-rows');
    rows.replaceChildren();
    for (const it of r.items) {
      const tr = document.createElement('tr');
      tr.dataset.id = it.id;
      for (const text of [cst(it.finishedAt || it.startedAt), it.callerNumber || '—', it.staffNo || '—', LINES[it.serviceLine] || '—', mmss(it.durationMs),
        STATUS[it.status] + (it.failure ? `（${it.failure}）` : '')]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      const td = document.createElement('td');
      if (it.playable) {
        const b = document.createElement('button');
        b.textContent = '播放';
        b.className = 'play';
        b.addEventListener('click', () => play(it).catch(show));
        td.append(b);
      }
      tr.append(td);
      rows.append(tr);
    }
  } catch (err) { show(err); }
}

function draw() {
  const c = $('wave'), g = c.getContext('2d'), p = $('player');
  g.clearRect(0, 0, c.width, c.height);
  g.fillStyle = '#4a7bd0';
  const w = c.width / Math.max(1, peaks.length);
  peaks.forEach((v, i) => { const h = Math.max(1, v * c.height); g.fillRect(i * w, (c.height - h) / 2, Math.max(1, w - 0.5), h); });
  if (p.duration > 0) {
    g.fillStyle = '#d0392b';
    g.fillRect((p.currentTime / p.duration) * c.width, 0, 2, c.height);
  }
}

async function play(it) {
  $('player-card').hidden = false;
  $('player-title').textContent = `${it.callerNumber || ''} ${cst(it.finishedAt)}`;
  const p = $('player');
  p.dataset.id = it.id;
  p.src = `/api/recordings/${it.id}/audio`;
  const dl = $('download');
  dl.hidden = !it.canDownload;
  dl.href = it.canDownload ? `/api/recordings/${it.id}/download` : '';
  const [w, detail] = await Promise.all([api(`/api/recordings/${it.id}/waveform`), api(`/api/recordings/${it.id}`)]);
  peaks = w.peaks;
  const ul = $('pauses');
  ul.replaceChildren(...detail.pauses.map((x) => { const li = document.createElement('li'); li.textContent = `${x.action === 'pause' ? '暂停' : '恢复'} ${mmss(x.offsetMs)}（${x.staffNo}）`; return li; }));
  if (!detail.pauses.length) ul.append(Object.assign(document.createElement('li'), { textContent: '无' }));
  draw();
  // The QA panel (qa.js) shows this call's scorecard while it plays.
  document.dispatchEvent(new window.CustomEvent('recording-opened', { detail: it }));
  await p.play().catch(() => undefined);
}

async function init() {
  for (const [v, t] of Object.entries(LINES)) $('rec-search').elements.line.add(new Option(t, v));
  for (const [v, t] of Object.entries(DISPOSITIONS)) $('rec-search').elements.disposition.add(new Option(t, v));
  try {
    const me = await api('/api/me');
    $('me').textContent = `${me.name}（工号 ${me.staffNo}）`;
  } catch (err) { show(err); return; }
  $('rec-search').addEventListener('submit', search);
  $('wave').addEventListener('click', (ev) => {
    const p = $('player'), c = $('wave');
    if (!(p.duration > 0)) return;
    p.currentTime = ((ev.offsetX / c.clientWidth) || 0) * p.duration;
    draw();
  });
  $('player').addEventListener('timeupdate', draw);
  document.body.dataset.ready = '1';
  await search();
}

init();
