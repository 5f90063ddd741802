// Shared by the desk's scripts: the API call, labels in Chinese, and small DOM helpers. Every value from the server is
// written with textContent, never as HTML: callers' words end up on this page.
export const LINES = { consultation: '法律咨询', application: '业务申请', appointment: '办事预约', supervision: '政务监督', complaint: '投诉建议', operator: '人工服务' };
export const TOPICS = {
  'labour-wages': '劳动与欠薪', 'marriage-family': '婚姻家庭', 'contract-debt': '合同与债务', 'traffic-accident': '交通事故',
  'land-housing': '土地与房产', 'legal-aid': '法律援助', notarisation: '公证', mediation: '人民调解', 'judicial-appraisal': '司法鉴定', other: '其他',
};
export const DISPOSITIONS = { resolved: '已解答', follow_up: '需后续办理（约期答复）', transferred: '已转办', referred: '已转介' };
export const STATES = { offline: '离线', ready: '空闲', not_ready: '示忙', ringing: '振铃', on_call: '通话中', wrap_up: '话后整理' };
export const CALL_STATES = { offered: '振铃中', answered: '通话中', ended: '已挂机', missed: '未接' };
export const FIELD_LABELS = {
  callId: '通话编号', serviceLine: '服务类别', legalTopic: '法律问题类别', callerName: '来电人姓名', callerDeclinedName: '拒绝留名',
  matter: '咨询事项', answer: '答复内容', referral: '转介去向', disposition: '办理结果', riskFlag: '舆情风险', riskReason: '风险原因',
  callbackAt: '约定回拨时间', toLine: '转接对象', toAgent: '转接对象', name: '姓名', dialect: '方言', vulnerableReason: '绿色通道原因',
};
// The API speaks English to machines; people at the desk read these.
export const MESSAGES = {
  'is required': '必填',
  'is required when the matter is resolved': '已解答的事项须填写答复内容',
  'is required when the matter is referred': '转介的事项须填写转介去向',
  'is required when the risk flag is set': '标记舆情风险须填写原因',
  'must be empty when the caller declined to give a name': '来电人拒绝留名时不填姓名',
  'already has a work order': '该通话已登记工单',
  'no such call': '找不到该通话',
  'is not a known field': '未知字段',
  'is not a valid date': '日期无效',
  'is required to list a caller for the green channel': '列入绿色通道须填写原因',
  'must not be in the past': '不能早于现在',
  'must be within a year': '须在一年以内',
  'the call has no caller number to call back': '该通话没有来电号码，无法约定回拨',
};
export const CODES = {
  forbidden: '无权操作', busy: '通话中不能切换状态', not_found: '未找到', conflict: '与现有记录冲突', unavailable: '呼叫控制暂时不可用，请稍后再试',
  internal: '系统错误，请稍后再试',
};
export const TRANSFER_REFUSED = {
  not_talking: '通话已不在进行中', already_transferring: '正在转接中', same_lawyer: '不能转给自己', unknown_lawyer: '该律师不在值班名单',
};

export const $ = (id) => document.getElementById(id);

/** China Standard Time whatever the browser's zone: the ledger is kept in Beijing time. */
export const cst = (iso) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);

/** mm:ss of a duration in milliseconds. */
export const clock = (ms) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

let onUnauthenticated = () => undefined;
export function whenLoggedOut(fn) { onUnauthenticated = fn; }

export async function api(method, url, body) {
  const res = await fetch(url, {
    method, credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (res.status === 401 && url !== '/api/login') onUnauthenticated();
  return { status: res.status, ok: res.ok, data };
}

/** What to tell a person about a failed request. */
export const failure = (r) => (r.data?.details?.length ? '请修改标红的项目' : (CODES[r.data?.code] ?? r.data?.message ?? '请求失败'));

export function fillSelect(select, options, blank) {
  select.replaceChildren();
  if (blank !== undefined) select.append(new Option(blank, ''));
  for (const [value, label] of Object.entries(options)) select.append(new Option(label, value));
}

export function clearFieldErrors(form) {
  for (const e of form.querySelectorAll('.field-error')) e.remove();
}

export function showFieldErrors(form, details) {
  for (const d of details ?? []) {
    const input = form.elements[d.field];
    const note = Object.assign(document.createElement('span'), { className: 'field-error', textContent: `${FIELD_LABELS[d.field] ?? d.field}：${MESSAGES[d.message] ?? d.message}` });
    (input?.closest('label') ?? form).append(note);
  }
}

export function say(el, ok, text) {
  el.className = ok ? 'ok' : 'error';
  el.textContent = text;
}
