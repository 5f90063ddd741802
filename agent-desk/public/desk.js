// The desk page: login, presence (with the wrap-up countdown), the live socket, and the work-order search. The call
// on the phone is desk-call.js, the work-order form desk-form.js.
import {
  $, api, CODES, cst, DISPOSITIONS, fillSelect, LINES, STATES, TOPICS, whenLoggedOut,
} from './desk-common.js';
import { installCallPanel, loadTransferTargets, showCall, showWrapUp } from './desk-call.js';
import { installForm, whenSaved } from './desk-form.js';
import { installCallbacks, onDeskEvent, refresh as refreshCallbacks, startCallbacks, stopCallbacks } from './desk-callbacks.js';

let me = null;
let socket = null;
let retryMs = 1000;

function showLogin() {
  me = null;
  stopCallbacks();
  if (socket) socket.close();
  $('desk-view').hidden = true;
  $('login-view').hidden = false;
}

async function showDesk() {
  const r = await api('GET', '/api/me');
  if (!r.ok) return showLogin();
  me = r.data;
  $('login-view').hidden = true;
  $('desk-view').hidden = false;
  $('me').textContent = `${me.name}（工号 ${me.staffNo}，${{ agent: '律师', supervisor: '值班主任', admin: '管理员' }[me.role]}）`;
  showPresence(me.presence);
  const isSupervisor = me.role === 'supervisor';
  $('search-title').textContent = isSupervisor ? '工单查询（全部）' : '我的工单';
  $('export').hidden = !isSupervisor;
  $('supervisor-links').hidden = !isSupervisor;
  $('queues-link').hidden = !(isSupervisor || me.role === 'admin');
  if (me.role === 'admin') return;
  connect();
  const handling = await api('GET', '/api/handling');
  if (handling.ok && handling.data.length) {
    const last = handling.data.at(-1);
    showCall({ ...last, type: last.state === 'answered' ? 'offered' : last.state });
    if (last.state === 'answered') showCall({ ...last, type: 'answered' });
  }
  void loadTransferTargets();
  startCallbacks(me);
  search();
}

function showPresence(p) {
  if (!p || (me && p.staffNo !== me.staffNo)) return;
  $('presence-state').textContent = STATES[p.state] ?? p.state;
  $('presence-state').dataset.state = p.state;
  $('presence-reason').textContent = p.reason ? `（${p.reason}）` : '';
  for (const b of $('presence-buttons').querySelectorAll('button')) b.disabled = p.state === 'ringing' || p.state === 'on_call';
  showWrapUp(p);
}

function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  socket = new WebSocket(url);
  socket.onopen = () => { retryMs = 1000; $('live-state').textContent = '实时连接：正常'; $('live-state').className = 'muted'; };
  socket.onclose = (ev) => {
    $('live-state').textContent = '实时连接：已断开，正在重连…';
    $('live-state').className = 'alert';
    socket = null;
    if (ev.code === 4001 || !me) return showLogin();
    window.setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30000);
  };
  socket.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === 'presence') showPresence(msg.presence);
    if (msg.type === 'desk' && msg.event.staffNo === me.staffNo) { showCall(msg.event, msg.history); onDeskEvent(msg.event); }
  };
}

function filters() {
  const form = $('search-form');
  const q = new URLSearchParams();
  for (const name of ['caller', 'from', 'to', 'line', 'staffNo', 'disposition']) if (form.elements[name].value) q.set(name, form.elements[name].value.trim());
  if (form.risk.checked) q.set('risk', 'true');
  return q;
}

async function search(ev) {
  if (ev) ev.preventDefault();
  const q = filters();
  $('export').href = `/api/work-orders/export.csv?${q}`;
  const r = await api('GET', `/api/work-orders?${q}&limit=100`);
  const rows = $('search-rows');
  rows.replaceChildren();
  if (!r.ok) return void ($('search-total').textContent = r.data.message);
  $('search-total').textContent = `共 ${r.data.total} 条`;
  for (const w of r.data.items) {
    const tr = document.createElement('tr');
    const cells = [
      cst(w.createdAt), w.callerNumber ?? '', w.callerDeclinedName ? '（拒绝留名）' : (w.callerName ?? ''),
      `${LINES[w.serviceLine] ?? w.serviceLine}${w.legalTopic ? ' / ' + (TOPICS[w.legalTopic] ?? w.legalTopic) : ''}`,
      w.matter, w.answer, DISPOSITIONS[w.disposition] ?? w.disposition, w.riskFlag ? `是：${w.riskReason}` : '', w.staffNo,
    ];
    cells.forEach((c, i) => tr.append(Object.assign(document.createElement('td'), { textContent: c, className: i === 7 && c ? 'risk' : '' })));
    if (w.disposition === 'follow_up') tr.className = 'open';
    rows.append(tr);
  }
}

async function setPresence(state) {
  const body = state === 'not_ready' ? { state, reason: $('not-ready-reason').value } : { state };
  const r = await api('PUT', '/api/presence', body);
  if (r.ok) showPresence(r.data);
  else window.alert(CODES[r.data.code] ?? r.data.message);
}

/** Keys for the buttons pressed all day: F2 置闲, F3 示忙, F4 保存工单. */
function shortcuts(ev) {
  if (!me || $('desk-view').hidden) return;
  if (ev.key === 'F2') { ev.preventDefault(); void setPresence('ready'); }
  if (ev.key === 'F3') { ev.preventDefault(); void setPresence('not_ready'); }
  if (ev.key === 'F4') { ev.preventDefault(); $('wo-form').requestSubmit(); }
}

document.addEventListener('DOMContentLoaded', () => {
  whenLoggedOut(showLogin);
  const wo = $('wo-form');
  fillSelect(wo.serviceLine, LINES);
  fillSelect(wo.legalTopic, TOPICS, '（未选择）');
  fillSelect(wo.disposition, DISPOSITIONS);
  const sf = $('search-form');
  fillSelect(sf.line, LINES, '全部类别');
  fillSelect(sf.disposition, DISPOSITIONS, '全部结果');
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const r = await api('POST', '/api/login', { staffNo: String(f.get('staffNo')).trim(), password: String(f.get('password')) });
    $('login-error').textContent = r.ok ? '' : r.status === 429 ? '尝试次数过多，请稍后再试' : '工号或密码错误';
    if (r.ok) { ev.target.reset(); showDesk(); }
  });
  $('logout').addEventListener('click', async () => { await api('POST', '/api/logout'); showLogin(); });
  for (const b of $('presence-buttons').querySelectorAll('button')) b.addEventListener('click', () => setPresence(b.dataset.state));
  $('wrap-up-done').addEventListener('click', () => setPresence('ready'));
  installForm();
  whenSaved(() => { search(); void refreshCallbacks(); });
  installCallPanel();
  installCallbacks();
  sf.addEventListener('submit', search);
  document.addEventListener('keydown', shortcuts);
  showDesk();
});
