// The wallboard page: one WebSocket (/api/wallboard/ws) carrying the whole board about twice a second; the page
// only draws it. Reconnects with a back-off when the desk restarts. Values go in with textContent.
'use strict';

const $ = (id) => document.getElementById(id);
const pct = (v) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
const secs = (v) => (v ? `${v} 秒` : '—');
let retryMs = 500;

function cell(tr, text, warn) {
  const td = document.createElement('td');
  td.textContent = String(text);
  if (warn) td.className = 'warn';
  tr.append(td);
}

function tile(label, value, warn, id) {
  const d = document.createElement('div');
  d.className = warn ? 'tile warn' : 'tile';
  d.id = id;
  const b = document.createElement('b');
  b.textContent = String(value);
  d.append(b, document.createTextNode(label));
  return d;
}

function draw(board) {
  const t = board.total;
  $('wb-clock').textContent = new Date(new Date(board.at).getTime() + 8 * 3600_000).toISOString().slice(11, 19) + ' 北京时间' + (board.open ? '' : '（非服务时间）');
  $('wb-total').replaceChildren(
    tile('排队人数', t.waiting, t.waiting > 0 && t.lawyers.ready === 0, 'wb-waiting'),
    tile('最长等待', secs(t.longestWaitSec), t.longestWaitSec > 15, 'wb-longest'),
    tile('就绪律师', t.lawyers.ready, board.open && t.lawyers.ready === 0, 'wb-ready'),
    tile('通话中', t.inProgress, false, 'wb-inprogress'),
    tile('今日呼入 / 接通 / 放弃', `${t.offered} / ${t.answered} / ${t.abandoned}`, false, 'wb-today'),
    tile('15秒接通率 · 接通率', `${pct(t.serviceLevel)} · ${pct(t.connectionRate)}`, t.connectionRate != null && t.connectionRate < 0.95, 'wb-rates'),
  );
  $('wb-alerts').replaceChildren(...board.alerts.map((a) => {
    const p = document.createElement('p');
    p.className = 'alert';
    p.dataset.kind = a.kind;
    p.dataset.line = a.line;
    p.textContent = a.message;
    return p;
  }));
  $('wb-lines').replaceChildren(...board.lines.map((l) => {
    const tr = document.createElement('tr');
    tr.dataset.line = l.line;
    cell(tr, l.name);
    cell(tr, l.waiting + (l.greenWaiting ? `（绿色通道 ${l.greenWaiting}）` : ''), false);
    cell(tr, secs(l.longestWaitSec), l.waiting > 0 && l.longestWaitSec > l.targetSec);
    cell(tr, l.lawyers.ready, board.open && l.lawyers.ready === 0);
    for (const s of ['ringing', 'on_call', 'wrap_up', 'not_ready', 'offline']) cell(tr, l.lawyers[s]);
    cell(tr, l.inProgress);
    cell(tr, l.offered); cell(tr, l.answered); cell(tr, l.abandoned);
    cell(tr, pct(l.serviceLevel)); cell(tr, pct(l.connectionRate), l.connectionRate != null && l.connectionRate < 0.95);
    return tr;
  }));
}

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/wallboard/ws`);
  ws.onopen = () => { retryMs = 500; $('wb-conn').textContent = '实时'; $('wb-conn').className = 'conn ok'; };
  ws.onmessage = (ev) => {
    const board = JSON.parse(ev.data);
    draw(board);
    if (board.stale) { $('wb-conn').textContent = '数据暂未更新'; $('wb-conn').className = 'conn bad'; }
  };
  ws.onclose = (ev) => {
    $('wb-conn').textContent = '连接中断，正在重连…';
    $('wb-conn').className = 'conn bad';
    if (ev.code === 4001 || ev.code === 1008) { location.href = '/'; return; }
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };
}

// A socket refused for want of a session only says "closed": ask once over HTTP so a stranger lands on the login.
fetch('/api/me', { credentials: 'same-origin' }).then((r) => { if (r.status === 401) location.href = '/'; else connect(); },
  () => connect());
