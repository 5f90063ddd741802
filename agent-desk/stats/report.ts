// The centre's periodic report (月报 / any period) in Chinese, for leaders to send upward: headline figures against
// the norms, volumes per line and topic with the trend against the previous period of the same length, callbacks
// and the follow-up of dissatisfied callers, QA, lawyers' workload, and the 舆情 section (risk-flagged matters by
// topic and place with counts, trends and the lawyer's notes). Every number comes from statsFor() — the same call
// the statistics page makes — so the report and the page cannot disagree. Rendered as HTML here, as DOCX in
// report-docx.ts, both from one ReportModel.
import type { EntityManager } from '@mikro-orm/postgresql';
import { CALLBACK_KIND_NAMES, FIGURES, LINE_NAMES } from './definitions.js';
import { PLACE_SQL, type PeriodStats } from './query.js';
import { previousPeriod, statsFor, type StatsAnswer } from './service.js';
import { periodStats, type Period } from './query.js';

export interface RiskItem { date: string; topic: string; place: string; line: string; staff: string; matter: string; note: string }
export interface ReportModel {
  centre: string; title: string; periodLabel: string; previousLabel: string; generatedAt: string;
  current: StatsAnswer; previous: PeriodStats; riskItems: RiskItem[]; riskItemsTotal: number;
}

const RISK_ITEMS_SHOWN = 200;
const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const lastDay = (to: Date) => day(new Date(to.getTime() - 1));
export const pct = (v: number | null) => (v == null ? '无数据' : `${(v * 100).toFixed(1)}%`);
export const sec = (v: number | null) => (v == null ? '—' : `${v.toFixed(1)} 秒`);

/** "+12.5%" / "-3.0%" / "持平" / "上期无数据" — volumes against the previous period. */
export function trend(now: number, before: number): string {
  if (before === 0) return now === 0 ? '持平' : '上期为 0';
  const ch = (now - before) / before;
  return Math.abs(ch) < 0.0005 ? '持平' : `${ch > 0 ? '增长' : '下降'} ${Math.abs(ch * 100).toFixed(1)}%`;
}
/** Rates against the previous period, in percentage points. */
export function trendPoints(now: number | null, before: number | null): string {
  if (now == null || before == null) return '—';
  const d = (now - before) * 100;
  return Math.abs(d) < 0.05 ? '持平' : `${d > 0 ? '上升' : '下降'} ${Math.abs(d).toFixed(1)} 个百分点`;
}

function titleOf(p: Period): string {
  const a = day(p.from), b = lastDay(p.to);
  const [y, m] = a.split('-');
  const next = new Date(Date.UTC(+y, +m, 1) - 8 * 3600_000);
  if (a.endsWith('-01') && p.to.getTime() === next.getTime()) return `${y}年${+m}月 12348 公共法律服务热线运行情况月报`;
  return `12348 公共法律服务热线运行情况报告（${a} 至 ${b}）`;
}

async function riskItems(em: EntityManager, p: Period): Promise<RiskItem[]> {
  const rows = await em.getConnection().execute<Array<Record<string, string>>>(`
    select w.created_at, coalesce(nullif(w.legal_topic, ''), '未分类') topic, ${PLACE_SQL} place, w.service_line,
           coalesce(s.name, w.staff_no) || '（' || w.staff_no || '）' staff, w.matter, coalesce(w.risk_reason, '') note
      from work_order w left join staff s on s.staff_no = w.staff_no
     where w.risk_flag and w.created_at >= ? and w.created_at < ? order by w.created_at limit ${RISK_ITEMS_SHOWN}`, [p.from, p.to]);
  return rows.map((r) => ({
    date: day(new Date(r.created_at)), topic: r.topic, place: r.place, line: LINE_NAMES[r.service_line] ?? r.service_line,
    staff: r.staff, matter: r.matter, note: r.note,
  }));
}

export async function buildReport(em: EntityManager, p: Period, centre: string): Promise<ReportModel> {
  const prev = previousPeriod(p);
  const [current, previous, items] = await Promise.all([statsFor(em, p), periodStats(em, prev), riskItems(em, p)]);
  return {
    centre, title: titleOf(p), periodLabel: `${day(p.from)} 至 ${lastDay(p.to)}`, previousLabel: `${day(prev.from)} 至 ${lastDay(prev.to)}`,
    generatedAt: new Date().toISOString(), current, previous, riskItems: items, riskItemsTotal: current.risk.count,
  };
}

/** The report as sections of paragraphs and tables, shared by the HTML and the DOCX renderers. */
export type Block = { kind: 'h'; text: string } | { kind: 'p'; text: string } | { kind: 'table'; head: string[]; rows: string[][] };

export function reportBlocks(m: ReportModel): Block[] {
  const c = m.current, pv = m.previous, t = c.total, pt = pv.total;
  const norm = (k: string) => c.norms.find((n) => n.key === k)!;
  const verdict = (k: string) => { const n = norm(k); return n.met === null ? '无数据' : n.met ? '达标' : '未达标'; };
  const b: Block[] = [];
  b.push({ kind: 'h', text: '一、总体情况' });
  b.push({ kind: 'p', text: `${m.periodLabel}，热线人工服务共受理呼入 ${t.offered} 通，较上期（${m.previousLabel}）${trend(t.offered, pt.offered)}；`
    + `接通 ${t.answered} 通，接通率 ${pct(t.connectionRate)}（标准 ≥ 95%，${verdict('connectionRate')}）；15 秒内接通 ${t.answered15s} 通，`
    + `15 秒接通率 ${pct(t.serviceLevel)}；排队中放弃 ${t.abandoned} 通，其中 15 秒内放弃 ${t.abandoned15s} 通；平均应答 ${sec(t.asaSec)}，平均通话 ${sec(t.ahtSec)}。`
    + `来电人参评 ${t.rated} 通，满意率 ${pct(t.satisfactionRate)}（标准 ≥ 90%，${verdict('satisfactionRate')}）。`
    + `绿色通道来电 ${t.greenOffered} 通，平均等待 ${sec(t.greenAsaSec)}。标记舆情风险事项 ${c.risk.count} 件，较上期${trend(c.risk.count, pv.risk.count)}。` });
  b.push({ kind: 'h', text: '二、主要指标对照标准' });
  const prevNorm: Record<string, number | null> = {
    connectionRate: pt.connectionRate, serviceLevel: pt.serviceLevel, satisfactionRate: pt.satisfactionRate,
    qaSampleRate: pv.qa.available ? pv.qa.sampleRate : null, dissatisfiedFollowUpRate: pv.callbacks.dissatisfiedFollowUpRate,
  };
  b.push({ kind: 'table', head: ['指标', '本期', '上期', '变化', '标准', '结论', '依据'],
    rows: c.norms.map((n) => [n.label, pct(n.value), pct(prevNorm[n.key] ?? null), trendPoints(n.value, prevNorm[n.key] ?? null), `≥ ${pct(n.target)}`, verdict(n.key), n.source]) });
  b.push({ kind: 'h', text: '三、各服务类别受理情况' });
  const prevLine = new Map(pv.byLine.map((l) => [l.line, l]));
  b.push({ kind: 'table', head: ['服务类别', '呼入', '上期', '变化', '接通', '接通率', '15秒接通率', '放弃', '转出', '转入', '满意率'],
    rows: c.byLine.map((l) => [l.name, String(l.offered), String(prevLine.get(l.line)?.offered ?? 0), trend(l.offered, prevLine.get(l.line)?.offered ?? 0),
      String(l.answered), pct(l.connectionRate), pct(l.serviceLevel), String(l.abandoned), String(l.transferredOut), String(l.transferredIn), pct(l.satisfactionRate)]) });
  b.push({ kind: 'h', text: '四、法律问题类别' });
  const prevTopic = new Map(pv.byTopic.map((x) => [x.topic, x.offered]));
  b.push({ kind: 'table', head: ['法律问题类别', '呼入', '上期', '变化', '接通率', '满意率'],
    rows: c.byTopic.map((x) => [x.topic, String(x.offered), String(prevTopic.get(x.topic) ?? 0), trend(x.offered, prevTopic.get(x.topic) ?? 0), pct(x.connectionRate), pct(x.satisfactionRate)]) });
  b.push({ kind: 'h', text: '五、回拨与不满意来电回访' });
  const cb = c.callbacks;
  b.push({ kind: 'p', text: `本期生成回拨任务 ${cb.created} 件，已完成 ${cb.completed} 件，其中按期完成 ${cb.completedInTime} 件。`
    + `评价“不满意”的来电 ${t.ratings.dissatisfied} 通，生成回访任务 ${cb.dissatisfiedCreated} 件，已回访 ${cb.dissatisfiedCompleted} 件，回访率 ${pct(cb.dissatisfiedFollowUpRate)}（标准 100%，${verdict('dissatisfiedFollowUpRate')}）。` });
  b.push({ kind: 'table', head: ['类型', '创建', '完成', '按期完成'], rows: cb.byKind.map((k) => [CALLBACK_KIND_NAMES[k.kind] ?? k.kind, String(k.created), String(k.completed), String(k.completedInTime)]) });
  b.push({ kind: 'h', text: '六、服务质量检查' });
  b.push({ kind: 'p', text: c.qa.available ? `本期抽检 ${c.qa.sampled} 通，质检率 ${pct(c.qa.sampleRate)}（标准 ≥ 5%，${verdict('qaSampleRate')}），平均得分 ${c.qa.avgScore == null ? '—' : c.qa.avgScore.toFixed(1)} 分。`
    : '质检评分数据尚未接入，本期质检率无数据。' });
  b.push({ kind: 'h', text: '七、舆情分析' });
  const prevRisk = new Map(pv.risk.groups.map((g) => [`${g.topic}|${g.place}`, g.count]));
  const byTopic = new Map<string, number>();
  for (const g of c.risk.groups) byTopic.set(g.topic, (byTopic.get(g.topic) ?? 0) + g.count);
  b.push({ kind: 'p', text: c.risk.count === 0 ? '本期未标记舆情风险事项。'
    : `本期律师标记可能引发群体性事件或集体上访的舆情风险事项 ${c.risk.count} 件（上期 ${pv.risk.count} 件，${trend(c.risk.count, pv.risk.count)}），`
      + `主要集中在：${[...byTopic].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([k, n]) => `${k} ${n} 件`).join('、')}。建议相关部门关注并及时化解。` });
  if (c.risk.groups.length) {
    b.push({ kind: 'table', head: ['法律问题类别', '地点', '本期件数', '上期件数', '变化'],
      rows: c.risk.groups.map((g) => { const before = prevRisk.get(`${g.topic}|${g.place}`) ?? 0; return [g.topic, g.place, String(g.count), String(before), trend(g.count, before)]; }) });
    b.push({ kind: 'p', text: `风险事项明细及律师意见（${m.riskItems.length < m.riskItemsTotal ? `前 ${m.riskItems.length} 件，共 ${m.riskItemsTotal} 件` : `共 ${m.riskItemsTotal} 件`}）：` });
    b.push({ kind: 'table', head: ['日期', '法律问题类别', '地点', '服务类别', '首问律师', '事项', '律师意见（风险原因）'],
      rows: m.riskItems.map((r) => [r.date, r.topic, r.place, r.line, r.staff, r.matter, r.note]) });
  }
  b.push({ kind: 'h', text: '八、律师工作量与评价' });
  b.push({ kind: 'table', head: ['工号', '姓名', '接听', '平均应答', '平均通话', '平均话后整理', '参评', '不满意', '满意率'],
    rows: c.byAgent.map((a) => [a.staffNo, a.name, String(a.answered), sec(a.asaSec), sec(a.ahtSec), sec(a.avgWrapUpSec), String(a.rated), String(a.ratings.dissatisfied), pct(a.satisfactionRate)]) });
  b.push({ kind: 'h', text: '九、办事预约、法律援助与投诉监督办理' });
  const ac = c.afterCall;
  b.push({ kind: 'p', text: `本期预约 ${ac.appointments.booked} 件，到场 ${ac.appointments.kept} 件、爽约 ${ac.appointments.noShow} 件，履约率 ${pct(ac.appointments.keptRate)}；`
    + `受理法律援助申请 ${ac.applications.received} 件，已作出决定 ${ac.applications.decided} 件，其中按期（7个工作日内）${ac.applications.decidedOnTime} 件，按期率 ${pct(ac.applications.onTimeRate)}；`
    + `登记投诉建议和政务监督 ${ac.tickets.created} 件，已办结 ${ac.tickets.closed} 件，其中按期办结 ${ac.tickets.closedOnTime} 件，按期办结率 ${pct(ac.tickets.onTimeRate)}。` });
  b.push({ kind: 'h', text: '附：指标口径' });
  b.push({ kind: 'table', head: ['指标', '口径'], rows: FIGURES.map((f) => [f.label, f.definition]) });
  return b;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export function reportHtml(m: ReportModel): string {
  const body = reportBlocks(m).map((b) => {
    if (b.kind === 'h') return `<h2>${esc(b.text)}</h2>`;
    if (b.kind === 'p') return `<p>${esc(b.text)}</p>`;
    return `<table><thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
      b.rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  }).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(m.title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/report.css"></head>
<body><article class="report">
<h1>${esc(m.title)}</h1>
<p class="meta">${esc(m.centre)} · 统计期 ${esc(m.periodLabel)} · 对比期 ${esc(m.previousLabel)} · 生成于 ${esc(m.generatedAt.slice(0, 16).replace('T', ' '))} (UTC)</p>
${body}
</article></body></html>`;
}
