// 回拨任务: my callbacks, the team's, and (supervisors) the failed ones; overdue ones in red; click to call (the
// lawyer's phone rings first, then the caller's); and the callbacks of the work order in the form with their outcome.
import { $, api, cst, failure, LINES, say } from './desk-common.js';

export const KINDS = { queued: '排队回拨', missed: '漏接回拨', voicemail: '留言回拨', dissatisfied: '不满意回访', promised: '约定回拨' };
export const OUTCOMES = {
  answered: '已接通', no_answer: '无人接听', busy: '占线', failed: '呼叫失败', invalid_number: '号码无效', lawyer_unavailable: '律师未接',
  called_again: '来电人已再次来电', cancelled: '已取消',
};
const STATUS = { pending: '待回拨', dialling: '拨打中', completed: '已完成', failed: '已失败', cancelled: '已取消' };
const REFRESH_MS = 15_000;

let me = null;
let view = 'mine';
let timer = null;

const cell = (text, className = '') => Object.assign(document.createElement('td'), { textContent: text, className });
const outcome = (c) => (c.lastOutcome ? (OUTCOMES[c.lastOutcome] ?? c.lastOutcome) : '—');

function tab(name) {
  view = name;
  for (const b of $('cb-tabs').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.view === name));
  void refresh();
}

async function dial(c, button) {
  button.disabled = true;
  const r = await api('POST', `/api/callbacks/${c.id}/dial`);
  if (r.ok) say($('cb-result'), true, `正在呼叫您的话机（第 ${r.data.attempt} 次尝试），接听后系统拨打 ${c.number}`);
  else if (r.data?.code === 'busy') say($('cb-result'), false, '您的话机现在不能回拨：请先置闲或示忙（离线、振铃或通话中不能回拨）');
  else if (r.status === 409) say($('cb-result'), false, '该回拨正在拨打或已结束，列表已刷新');
  else say($('cb-result'), false, failure(r));
  await refresh();
}

async function cancel(c) {
  const reason = window.prompt(`取消对 ${c.number} 的${KINDS[c.kind] ?? '回拨'}，请填写原因`);
  if (!reason?.trim()) return;
  const r = await api('POST', `/api/callbacks/${c.id}/cancel`, { reason: reason.trim() });
  say($('cb-result'), r.ok, r.ok ? '已取消' : failure(r));
  await refresh();
}

function row(c) {
  const tr = document.createElement('tr');
  tr.dataset.id = c.id;
  if (c.overdue) tr.className = 'overdue';
  const when = cell(`${cst(c.dueAt)} / ${cst(c.deadlineAt)}`);
  if (c.overdue) when.append(Object.assign(document.createElement('span'), { className: 'badge late', textContent: '已超期' }));
  tr.append(
    cell(`${KINDS[c.kind] ?? c.kind}${c.mode === 'auto' ? '（自动）' : ''}`),
    cell(c.number),
    cell(`${LINES[c.line] ?? c.line}${c.ownerStaffNo ? ` · ${c.ownerStaffNo}` : ''}`),
    when,
    cell(STATUS[c.status] ?? c.status, 'status'),
    cell(`${c.attempts} / ${c.maxAttempts}`, 'attempts'),
    cell(outcome(c) + (c.failureReason && c.status === 'failed' ? `（${c.failureReason === 'invalid_number' ? '号码无效' : '多次未接通'}）` : ''), 'outcome'),
  );
  const actions = document.createElement('td');
  actions.className = 'row';
  if (c.status === 'pending' || c.status === 'dialling' || c.status === 'failed') {
    const b = Object.assign(document.createElement('button'), { type: 'button', className: 'dial', textContent: c.status === 'dialling' ? '拨打中…' : '拨打' });
    b.disabled = !c.dialable;
    if (c.mode === 'auto' && c.status !== 'failed') b.title = '自动回拨：系统在律师空闲时拨打';
    b.addEventListener('click', () => void dial(c, b));
    actions.append(b);
  }
  if (me?.role === 'supervisor' && (c.status === 'pending' || c.status === 'failed')) {
    const x = Object.assign(document.createElement('button'), { type: 'button', className: 'cancel secondary', textContent: '取消' });
    x.addEventListener('click', () => void cancel(c));
    actions.append(x);
  }
  if (c.recordingId) {
    actions.append(Object.assign(document.createElement('a'), { href: `/api/recordings/${c.recordingId}/audio`, target: '_blank', textContent: '听留言' }));
  } else if (c.recording) actions.append(Object.assign(document.createElement('span'), { className: 'muted', textContent: '留言归档中' }));
  if (c.note) actions.append(Object.assign(document.createElement('span'), { className: 'muted', textContent: c.note }));
  tr.append(actions);
  return tr;
}

/** Reloads the list shown, and the callbacks of the work order in the form. */
export async function refresh() {
  if (!me) return;
  const r = await api('GET', `/api/callbacks?view=${view}`);
  const rows = $('cb-rows');
  if (!r.ok) { rows.replaceChildren(); $('cb-total').textContent = failure(r); return; }
  rows.replaceChildren(...r.data.items.map(row));
  const late = r.data.items.filter((c) => c.overdue).length;
  $('cb-total').textContent = `共 ${r.data.items.length} 条${late ? `，其中已超期 ${late} 条` : ''}`;
  await formCallbacks();
}

/** 回拨记录 of the work order of the call in the form (its promise, or the callback the call itself was). */
async function formCallbacks() {
  const list = $('wo-callbacks');
  const callId = $('wo-form').callId.value.trim();
  if (!callId) { list.replaceChildren(); return; }
  const found = await api('GET', `/api/work-orders?callId=${encodeURIComponent(callId)}&limit=1`);
  const w = found.ok ? found.data.items[0] : undefined;
  const detail = w ? await api('GET', `/api/work-orders/${w.id}`) : undefined;
  if ($('wo-form').callId.value.trim() !== callId) return;
  list.replaceChildren();
  for (const c of detail?.ok ? detail.data.callbacks : []) {
    const li = document.createElement('li');
    li.dataset.id = c.id;
    li.textContent = `${KINDS[c.kind] ?? c.kind} ${c.number}：${STATUS[c.status] ?? c.status}，已尝试 ${c.attempts} 次，最近结果 ${outcome(c)}`
      + (c.history.length ? `（${c.history.map((h) => `第${h.attempt}次 ${h.outcome ? OUTCOMES[h.outcome] ?? h.outcome : '进行中'}`).join('；')}）` : '');
    list.append(li);
  }
}

/**
 * A call of this lawyer changed: the form may hold another call now, a callback may be dialling, and a callback's
 * outcome is recorded just after its call ends — so look again shortly, and once more after an end.
 */
export function onDeskEvent(ev) {
  for (const ms of ev.type === 'ended' || ev.type === 'missed' ? [1000, 3000] : [1000]) window.setTimeout(() => void refresh(), ms);
}

export function startCallbacks(user) {
  me = user;
  $('cb-tabs').querySelector('[data-view=failed]').hidden = user.role !== 'supervisor';
  if (timer) window.clearInterval(timer);
  timer = window.setInterval(() => void refresh(), REFRESH_MS);
  tab(view);
}

export function stopCallbacks() {
  me = null;
  if (timer) window.clearInterval(timer);
  timer = null;
}

export function installCallbacks() {
  for (const b of $('cb-tabs').querySelectorAll('button')) b.addEventListener('click', () => tab(b.dataset.view));
}
