// The ledger as CSV for supervisors, opened in Excel or WPS: a UTF-8 BOM so Chinese is read as UTF-8, CRLF rows,
// and cells that would start a formula (=, +, -, @) prefixed with ' so a caller's words are never executed.
import type { WorkOrderView } from './schemas.js';

export const LINE_LABELS: Record<string, string> = {
  consultation: '法律咨询', application: '业务申请', appointment: '办事预约', supervision: '政务监督', complaint: '投诉建议', operator: '人工服务',
};
export const DISPOSITION_LABELS: Record<string, string> = {
  resolved: '已解答', follow_up: '需后续办理', transferred: '已转办', referred: '已转介',
};

const COLUMNS: Array<[string, (w: WorkOrderView) => string]> = [
  ['工单号', (w) => w.id],
  ['通话编号', (w) => w.callId],
  ['来电号码', (w) => w.callerNumber ?? ''],
  ['来电人', (w) => (w.callerDeclinedName ? '（来电人拒绝留名）' : (w.callerName ?? ''))],
  ['服务类别', (w) => LINE_LABELS[w.serviceLine] ?? w.serviceLine],
  ['法律问题类别', (w) => w.legalTopic ?? ''],
  ['咨询事项', (w) => w.matter],
  ['答复内容', (w) => w.answer],
  ['转介', (w) => w.referral ?? ''],
  ['办理结果', (w) => DISPOSITION_LABELS[w.disposition] ?? w.disposition],
  ['舆情风险', (w) => (w.riskFlag ? '是' : '否')],
  ['风险原因', (w) => w.riskReason ?? ''],
  ['首问律师工号', (w) => w.staffNo],
  ['登记时间', (w) => w.createdAt],
  ['最后修改', (w) => w.updatedAt],
  ['修改人', (w) => w.updatedBy],
];

export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function workOrdersCsv(rows: readonly WorkOrderView[]): string {
  const lines = [COLUMNS.map(([h]) => h).join(',')];
  for (const w of rows) lines.push(COLUMNS.map(([, f]) => csvCell(f(w))).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
