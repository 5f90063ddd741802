// The call on the lawyer's phone: the screen pop (caller, IVR choices, green channel, history), the talk timer, the
// transfer to another line or colleague, and the caller's profile (name, dialect, green-channel listing).
import {
  $, api, CALL_STATES, clearFieldErrors, clock, cst, DISPOSITIONS, failure, LINES, say, showFieldErrors, STATES, TOPICS, TRANSFER_REFUSED,
} from './desk-common.js';
import { prepareForm } from './desk-form.js';

let current = null;
let ticker = null;
const TITLE = document.title;

function tick() {
  if (!current) return;
  const since = current.answeredAt ?? current.offeredAt;
  const label = current.state === 'answered' ? '通话' : current.state === 'offered' ? '振铃' : '';
  $('pop-timer').textContent = label && current.state !== 'ended' ? `${label} ${clock(Date.now() - since)}` : '';
}

/** A DeskEvent for this lawyer (or the call found in /api/handling after a reload). */
export function showCall(ev, history) {
  if (ev.type === 'transfer') return showTransferOutcome(ev);
  $('pop-empty').hidden = true;
  $('pop-call').hidden = false;
  $('pop-state').textContent = CALL_STATES[ev.type] ?? ev.type;
  if (ev.type === 'missed') { document.title = TITLE; return; }
  if (!current || current.callId !== ev.callId) {
    current = { callId: ev.callId, callerNumber: ev.callerNumber, offeredAt: Date.now(), state: ev.type };
    $('transfer-result').textContent = '';
    $('profile-result').textContent = '';
    $('recording-state').textContent = '';
    $('recording-pause').hidden = false;
    $('recording-resume').hidden = true;
  }
  current.state = ev.type;
  if (ev.callerNumber) { current.callerNumber = ev.callerNumber; $('pop-number').textContent = ev.callerNumber; }
  if (ev.type === 'offered') {
    document.title = `【来电】${ev.callerNumber} · ${TITLE}`;
    $('pop-green').hidden = !ev.green;
    $('pop-line').textContent = LINES[ev.line] ?? ev.line ?? '—';
    $('pop-topic').textContent = TOPICS[ev.topic] ?? ev.topic ?? '—';
    $('pop-path').textContent = (ev.ivrPath ?? []).map((s) => (s.digits ? `${s.node}（按 ${s.digits}）` : s.node)).join(' → ') || '—';
    $('pop-requested').textContent = ev.requestedAgent ?? '—';
    void prepareForm(ev);
    void loadProfile();
  }
  if (ev.type === 'answered') { current.answeredAt = Date.now(); document.title = `【通话中】${current.callerNumber ?? ''} · ${TITLE}`; }
  if (ev.type === 'ended') document.title = TITLE;
  $('call-controls').hidden = ev.type !== 'answered';
  if (!ticker) ticker = window.setInterval(tick, 1000);
  tick();
  if (history) showHistory(history);
}

function showHistory(history) {
  const list = $('pop-history');
  list.replaceChildren();
  if (!history.length) list.append(Object.assign(document.createElement('li'), { textContent: '无' }));
  for (const w of history) {
    const li = document.createElement('li');
    li.textContent = `${cst(w.createdAt).slice(0, 10)} ${LINES[w.serviceLine] ?? w.serviceLine} · ${w.matter} → ${DISPOSITIONS[w.disposition]}（${w.staffNo}）`;
    list.append(li);
  }
}

function showTransferOutcome(ev) {
  if (!current || ev.callId !== current.callId) return;
  const to = ev.toLine ? (LINES[ev.toLine] ?? ev.toLine) : ev.toAgent;
  if (ev.ok) {
    say($('transfer-result'), true, `已转接至 ${to}，请完成工单后结束整理`);
    const form = $('wo-form');
    if (form.dataset.saved !== 'true') form.disposition.value = 'transferred';
  } else say($('transfer-result'), false, `转接未成功：${TRANSFER_REFUSED[ev.reason] ?? ev.reason}`);
}

/** The transfer choices: every line, then the colleagues with their state (a ready one answers soonest). */
export async function loadTransferTargets() {
  const r = await api('GET', '/api/transfer-targets');
  if (!r.ok) return;
  const select = $('transfer-target');
  select.replaceChildren(new Option('选择转接对象…', ''));
  const lines = Object.assign(document.createElement('optgroup'), { label: '服务类别（排队）' });
  for (const l of r.data.lines) lines.append(new Option(l.name, `line:${l.line}`));
  const people = Object.assign(document.createElement('optgroup'), { label: '律师（点名）' });
  for (const p of r.data.lawyers) {
    const skills = p.skills.map((s) => TOPICS[s] ?? s).concat(p.dialects).join('、');
    people.append(new Option(`${p.name}（${p.staffNo}，${STATES[p.presence.state] ?? p.presence.state}${skills ? '，' + skills : ''}）`, `agent:${p.staffNo}`));
  }
  select.append(lines, people);
}

async function transfer(ev) {
  ev.preventDefault();
  const value = $('transfer-target').value;
  if (!current || !value) return say($('transfer-result'), false, '请选择转接对象');
  const [kind, target] = value.split(':');
  const r = await api('POST', `/api/calls/${encodeURIComponent(current.callId)}/transfer`, kind === 'line' ? { toLine: target } : { toAgent: target });
  if (r.ok) say($('transfer-result'), true, '正在转接…');
  else say($('transfer-result'), false, `转接未成功：${failure(r)}`);
}

async function loadProfile() {
  const form = $('profile-form');
  form.reset();
  if (!current?.callerNumber) return;
  const r = await api('GET', `/api/callers/${encodeURIComponent(current.callerNumber)}`);
  if (!r.ok) return;
  form.name.value = r.data.name ?? '';
  form.dialect.value = r.data.dialect ?? '';
  form.vulnerable.checked = r.data.vulnerable;
  form.vulnerableReason.value = r.data.vulnerableReason ?? '';
  $('pop-green-listed').hidden = !r.data.vulnerable;
}

async function saveProfile(ev) {
  ev.preventDefault();
  const form = ev.target;
  clearFieldErrors(form);
  if (!current?.callerNumber) return;
  const text = (name) => form.elements[name].value.trim() || null;
  const body = { name: text('name'), dialect: text('dialect'), vulnerable: form.vulnerable.checked };
  if (form.vulnerable.checked) body.vulnerableReason = text('vulnerableReason');
  const r = await api('PUT', `/api/callers/${encodeURIComponent(current.callerNumber)}`, body);
  say($('profile-result'), r.ok, r.ok ? '档案已保存' : failure(r));
  if (r.ok) $('pop-green-listed').hidden = !r.data.vulnerable;
  else showFieldErrors(form, r.data.details);
}

/** Pause the recording while the caller reads out an ID or bank number; it is muted, so the timeline stays true. */
async function recording(action) {
  if (!current) return;
  const r = await api('POST', `/api/calls/${encodeURIComponent(current.callId)}/recording/${action}`);
  if (!r.ok) return say($('recording-state'), false, `操作未成功：${failure(r)}`);
  const paused = action === 'pause';
  $('recording-pause').hidden = paused;
  $('recording-resume').hidden = !paused;
  say($('recording-state'), !paused, paused ? '录音已暂停（保留静音）' : '录音中');
}

/** Wrap-up: how long until the desk puts the lawyer back to ready by itself. */
let wrapTimer = null;
export function showWrapUp(p) {
  window.clearInterval(wrapTimer);
  const box = $('wrap-up');
  if (p.state !== 'wrap_up' || p.wrapUpLeftMs === undefined) { box.hidden = true; return; }
  box.hidden = false;
  const until = Date.now() + p.wrapUpLeftMs;
  const show = () => { $('wrap-up-left').textContent = clock(until - Date.now()); };
  show();
  wrapTimer = window.setInterval(show, 1000);
}

export function installCallPanel() {
  $('transfer-form').addEventListener('submit', transfer);
  $('transfer-form').addEventListener('focusin', () => { void loadTransferTargets(); });
  $('profile-form').addEventListener('submit', saveProfile);
  $('recording-pause').addEventListener('click', () => recording('pause'));
  $('recording-resume').addEventListener('click', () => recording('resume'));
}
