/* global document, window, fetch, WebSocket, location, URLSearchParams, FormData, Option */
// The desk page: login, presence, the screen pop fed by /ws, the work-order form and the search. Every value from
// the server is written with textContent, never as HTML: callers' words end up on this page.
'use strict';

const LINES = { consultation: '法律咨询', application: '业务申请', appointment: '办事预约', supervision: '政务监督', complaint: '投诉建议', operator: '人工服务' };
const TOPICS = {
  'labour-wages': '劳动与欠薪', 'marriage-family': '婚姻家庭', 'contract-debt': '合同与债务', 'traffic-accident': '交通事故',
  'land-housing': '土地与房产', 'legal-aid': '法律援助', notarisation: '公证', mediation: '人民调解', 'judicial-appraisal': '司法鉴定', other: '其他',
};
const DISPOSITIONS = { resolved: '已解答', follow_up: '需后续办理（约期答复）', transferred: '已转办', referred: '已转介' };
const STATES = { offline: '离线', ready: '空闲', not_ready: '示忙', ringing: '振铃', on_call: '通话中', wrap_up: '话后整理' };
const CALL_STATES = { offered: '振铃中', answered: '通话中', ended: '已挂机', missed: '未接' };
const FIELD_LABELS = {
  callId: '通话编号', serviceLine: '服务类别', legalTopic: '法律问题类别', callerName: '来电人姓名', callerDeclinedName: '拒绝留名',
  matter: '咨询事项', answer: '答复内容', referral: '转介去向', disposition: '办理结果', riskFlag: '舆情风险', riskReason: '风险原因',
};

// The API speaks English to machines; people at the desk read these.
const MESSAGES = {
  'is required': '必填',
  'is required when the matter is resolved': '已解答的事项须填写答复内容',
  'is required when the matter is referred': '转介的事项须填写转介去向',
  'is required when the risk flag is set': '标记舆情风险须填写原因',
  'must be empty when the caller declined to give a name': '来电人拒绝留名时不填姓名',
  'already has a work order': '该通话已登记工单',
  'no such call': '找不到该通话',
  'is not a known field': '未知字段',
  'is not a valid date': '日期无效',
};
const CODES = { forbidden: '无权操作', busy: '通话中不能切换状态', not_found: '未找到', conflict: '与现有记录冲突', internal: '系统错误，请稍后再试' };
/** China Standard Time whatever the browser's zone: the ledger is kept in Beijing time. */
const cst = (iso) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);
const $ = (id) => document.getElementById(id);
let me = null;
let socket = null;
let retryMs = 1000;

async function api(method, url, body) {
  const res = await fetch(url, {
    method, credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (res.status === 401 && url !== '/api/login') showLogin();
  return { status: res.status, ok: res.ok, data };
}

function fillSelect(select, options, blank) {
  select.replaceChildren();
  if (blank !== undefined) select.append(new Option(blank, ''));
  for (const [value, label] of Object.entries(options)) select.append(new Option(label, value));
}

function showLogin() {
  me = null;
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
  if (me.role === 'admin') return;
  connect();
  const handling = await api('GET', '/api/handling');
  if (handling.ok && handling.data.length) showCall({ ...handling.data.at(-1), type: handling.data.at(-1).state });
  search();
}

function showPresence(p) {
  if (!p || (me && p.staffNo !== me.staffNo)) return;
  $('presence-state').textContent = STATES[p.state] ?? p.state;
  $('presence-reason').textContent = p.reason ? `（${p.reason}）` : '';
}

function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  socket = new WebSocket(url);
  socket.onopen = () => { retryMs = 1000; $('live-state').textContent = '实时连接：正常'; };
  socket.onclose = (ev) => {
    $('live-state').textContent = '实时连接：已断开';
    socket = null;
    if (ev.code === 4001 || !me) return showLogin();
    window.setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30000);
  };
  socket.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === 'presence') showPresence(msg.presence);
    if (msg.type === 'desk' && msg.event.staffNo === me.staffNo) showCall(msg.event, msg.history);
  };
}

function showCall(ev, history) {
  $('pop-empty').hidden = true;
  $('pop-call').hidden = false;
  $('pop-state').textContent = CALL_STATES[ev.type] ?? ev.type;
  if (ev.type === 'missed') return;
  if (ev.callerNumber) $('pop-number').textContent = ev.callerNumber;
  if (ev.type === 'offered') {
    $('pop-green').hidden = !ev.green;
    $('pop-line').textContent = LINES[ev.line] ?? ev.line ?? '—';
    $('pop-topic').textContent = TOPICS[ev.topic] ?? ev.topic ?? '—';
    $('pop-path').textContent = (ev.ivrPath ?? []).map((s) => (s.digits ? `${s.node}（按 ${s.digits}）` : s.node)).join(' → ') || '—';
    $('pop-requested').textContent = ev.requestedAgent ?? '—';
    const form = $('wo-form');
    form.reset();
    form.callId.value = ev.callId;
    if (ev.line) form.serviceLine.value = ev.line;
    if (ev.topic) form.legalTopic.value = ev.topic;
  }
  if (history) {
    const list = $('pop-history');
    list.replaceChildren();
    if (!history.length) list.append(Object.assign(document.createElement('li'), { textContent: '无' }));
    for (const w of history) {
      const li = document.createElement('li');
      li.textContent = `${cst(w.createdAt).slice(0, 10)} ${LINES[w.serviceLine] ?? w.serviceLine} · ${w.matter} → ${DISPOSITIONS[w.disposition]}（${w.staffNo}）`;
      list.append(li);
    }
  }
}

function clearFieldErrors(form) {
  for (const e of form.querySelectorAll('.field-error')) e.remove();
}

function showFieldErrors(form, details) {
  for (const d of details ?? []) {
    const input = form.elements[d.field];
    const note = Object.assign(document.createElement('span'), { className: 'field-error', textContent: `${FIELD_LABELS[d.field] ?? d.field}：${MESSAGES[d.message] ?? d.message}` });
    (input?.closest('label') ?? form).append(note);
  }
}

async function saveWorkOrder(ev) {
  ev.preventDefault();
  const form = ev.target;
  clearFieldErrors(form);
  const text = (name) => form.elements[name].value.trim();
  const body = {
    callId: text('callId'), serviceLine: form.serviceLine.value, matter: text('matter'), answer: text('answer'),
    disposition: form.disposition.value, callerDeclinedName: form.callerDeclinedName.checked, riskFlag: form.riskFlag.checked,
    legalTopic: form.legalTopic.value || null, callerName: text('callerName') || null, referral: text('referral') || null,
    riskReason: text('riskReason') || null,
  };
  const r = await api('POST', '/api/work-orders', body);
  $('wo-result').className = r.ok ? 'ok' : 'error';
  $('wo-result').textContent = r.ok ? `已保存，工单号 ${r.data.id}` : r.data.details ? '请修改标红的项目' : (CODES[r.data.code] ?? r.data.message);
  if (r.ok) search();
  else showFieldErrors(form, r.data.details);
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
    rows.append(tr);
  }
}

async function setPresence(state) {
  const body = state === 'not_ready' ? { state, reason: $('not-ready-reason').value } : { state };
  const r = await api('PUT', '/api/presence', body);
  if (r.ok) showPresence(r.data);
  else window.alert(CODES[r.data.code] ?? r.data.message);
}

document.addEventListener('DOMContentLoaded', () => {
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
  wo.addEventListener('submit', saveWorkOrder);
  sf.addEventListener('submit', search);
  showDesk();
});
