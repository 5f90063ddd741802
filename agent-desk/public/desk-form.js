// The work-order form (台账工单): one per call. When the call already has one — the draft made when it was answered,
// or one written by the lawyer who took the call before transferring it here — the form edits that one.
import { $, api, clearFieldErrors, cst, failure, say, showFieldErrors } from './desk-common.js';

/** `updated_by` of the untouched draft (agent-desk/auto-work-order.ts): its placeholder matter is not shown. */
const DRAFT_BY = 'auto-draft';
let afterSave = () => undefined;
export function whenSaved(fn) { afterSave = fn; }

function fill(form, w) {
  form.serviceLine.value = w.serviceLine;
  form.legalTopic.value = w.legalTopic ?? '';
  form.callerName.value = w.callerName ?? '';
  form.callerDeclinedName.checked = w.callerDeclinedName;
  form.matter.value = w.matter;
  form.answer.value = w.answer;
  form.referral.value = w.referral ?? '';
  form.disposition.value = w.disposition;
  form.riskFlag.checked = w.riskFlag;
  form.riskReason.value = w.riskReason ?? '';
  form.callbackAt.value = w.callbackAt ? cst(w.callbackAt).replace(' ', 'T') : '';
}

/** A call was offered: a fresh form for it, or the work order it already has. */
export async function prepareForm(ev) {
  const form = $('wo-form');
  form.reset();
  clearFieldErrors(form);
  $('wo-result').textContent = '';
  delete form.dataset.id;
  delete form.dataset.saved;
  form.callId.value = ev.callId;
  if (ev.line) form.serviceLine.value = ev.line;
  if (ev.topic) form.legalTopic.value = ev.topic;
  const r = await api('GET', `/api/work-orders?callId=${encodeURIComponent(ev.callId)}&limit=1`);
  const w = r.ok ? r.data.items[0] : undefined;
  if (!w || w.updatedBy === DRAFT_BY || form.callId.value !== ev.callId) return;
  fill(form, w);
  form.dataset.id = w.id;
  $('wo-result').textContent = `该通话已有工单 ${w.id}（${w.staffNo} 登记），保存将更新它`;
  $('wo-result').className = 'muted';
}

async function save(ev) {
  ev.preventDefault();
  const form = ev.target;
  clearFieldErrors(form);
  const text = (name) => form.elements[name].value.trim();
  const fields = {
    serviceLine: form.serviceLine.value, matter: text('matter'), answer: text('answer'),
    disposition: form.disposition.value, callerDeclinedName: form.callerDeclinedName.checked, riskFlag: form.riskFlag.checked,
    legalTopic: form.legalTopic.value || null, callerName: text('callerName') || null, referral: text('referral') || null,
    riskReason: text('riskReason') || null,
    // The picker shows Beijing time, whatever the computer's zone.
    callbackAt: form.callbackAt.value ? `${form.callbackAt.value.slice(0, 16)}:00+08:00` : null,
  };
  const r = form.dataset.id
    ? await api('PATCH', `/api/work-orders/${form.dataset.id}`, fields)
    : await api('POST', '/api/work-orders', { callId: text('callId'), ...fields });
  say($('wo-result'), r.ok, r.ok ? `已保存，工单号 ${r.data.id}` : failure(r));
  if (!r.ok) return showFieldErrors(form, r.data.details);
  form.dataset.id = r.data.id;
  form.dataset.saved = 'true';
  afterSave();
}

export function installForm() {
  $('wo-form').addEventListener('submit', save);
}
