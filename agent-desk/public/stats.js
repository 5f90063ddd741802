// The statistics page: one call to /api/stats for the period, drawn as norm tiles, ECharts charts (served from our
// own origin) and tables, with the definition of every figure below. Values from the server go in with textContent.
'use strict';

const $ = (id) => document.getElementById(id);
const pct = (v) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
const sec = (v) => (v == null ? '—' : v.toFixed(1));
const KINDS = { queued: '排队预约回拨', missed: '未接来电回拨', voicemail: '留言回拨', dissatisfied: '不满意回访', promised: '约期答复' };
const charts = {};

async function api(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (res.status === 401) { location.href = '/'; throw new Error('请先登录'); }
  const body = await res.json();
  if (!res.ok) throw new Error(body.message || `错误 ${res.status}`);
  return body;
}

function table(id, headers, rows) {
  const head = document.createElement('tr');
  for (const h of headers) { const th = document.createElement('th'); th.textContent = h; head.append(th); }
  const trs = rows.map((r) => {
    const tr = document.createElement('tr');
    for (const v of r) { const td = document.createElement('td'); td.textContent = String(v); tr.append(td); }
    return tr;
  });
  $(id).replaceChildren(head, ...trs);
}

const CALL_HEAD = ['呼入量', '接通量', '放弃', '15秒内放弃', '接通率', '15秒接通率', '平均应答(秒)', '平均通话(秒)', '参评', '满意率'];
const callCells = (f) => [f.offered, f.answered, f.abandoned, f.abandoned15s, pct(f.connectionRate), pct(f.serviceLevel), sec(f.asaSec), sec(f.ahtSec), f.rated, pct(f.satisfactionRate)];

function chart(id, option) {
  if (!window.echarts) return;
  charts[id] ??= window.echarts.init($(id));
  charts[id].setOption({ animation: false, ...option }, true);
}

function draw(s, q) {
  $('st-norms').replaceChildren(...s.norms.map((n) => {
    const d = document.createElement('div');
    d.className = `norm ${n.met === null ? '' : n.met ? 'met' : 'unmet'}`;
    d.dataset.key = n.key;
    const b = document.createElement('b');
    b.textContent = n.value === null ? '无数据' : pct(n.value);
    d.append(b, document.createTextNode(`${n.label}（目标 ≥ ${pct(n.target)}，${n.source}）`));
    return d;
  }));
  const links = [['导出 Excel', `/api/stats/export.xlsx?${q}`], ['导出 CSV（按类别）', `/api/stats/export.csv?${q}&by=line`],
    ['查看月度报告', `/api/reports/period?${q}`], ['下载报告（Word）', `/api/reports/period.docx?${q}`]];
  $('st-links').replaceChildren(...links.map(([text, href]) => { const a = document.createElement('a'); a.href = href; a.textContent = text; a.style.marginRight = '1em'; return a; }));
  chart('ch-day', {
    title: { text: '每日呼入与接通', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'axis' }, legend: { bottom: 0 },
    xAxis: { type: 'category', data: s.byDay.map((d) => d.date.slice(5)) }, yAxis: [{ type: 'value' }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [{ name: '呼入量', type: 'bar', data: s.byDay.map((d) => d.offered) }, { name: '接通量', type: 'bar', data: s.byDay.map((d) => d.answered) },
      { name: '接通率', type: 'line', yAxisIndex: 1, data: s.byDay.map((d) => (d.connectionRate == null ? null : +(d.connectionRate * 100).toFixed(1))) }],
  });
  chart('ch-hour', {
    title: { text: '分时段呼入（北京时间）', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'axis' }, legend: { bottom: 0 },
    xAxis: { type: 'category', data: s.byHour.map((h) => `${h.hour}时`) }, yAxis: { type: 'value' },
    series: [{ name: '呼入量', type: 'bar', data: s.byHour.map((h) => h.offered) }, { name: '放弃', type: 'bar', data: s.byHour.map((h) => h.abandoned) }],
  });
  chart('ch-line', {
    title: { text: '各服务类别', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'axis' }, legend: { bottom: 0 },
    xAxis: { type: 'category', data: s.byLine.map((l) => l.name) }, yAxis: { type: 'value' },
    series: [{ name: '呼入量', type: 'bar', data: s.byLine.map((l) => l.offered) }, { name: '接通量', type: 'bar', data: s.byLine.map((l) => l.answered) }],
  });
  chart('ch-rating', {
    title: { text: '评价分布', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'item' },
    series: [{ type: 'pie', radius: '60%', data: [{ name: '满意', value: s.total.ratings.satisfied }, { name: '基本满意', value: s.total.ratings.basicallySatisfied }, { name: '不满意', value: s.total.ratings.dissatisfied }] }],
  });
  table('t-line', ['服务类别', ...CALL_HEAD, '转出', '转入', '绿色通道', '绿色通道平均等待(秒)'],
    [['合计', ...callCells(s.total), s.total.transferredOut, s.total.transferredIn, s.total.greenOffered, sec(s.total.greenAsaSec)],
      ...s.byLine.map((l) => [l.name, ...callCells(l), l.transferredOut, l.transferredIn, l.greenOffered, sec(l.greenAsaSec)])]);
  table('t-topic', ['法律问题类别', ...CALL_HEAD], s.byTopic.map((r) => [r.topic, ...callCells(r)]));
  table('t-agent', ['工号', '姓名', '接听', '15秒内接听', '平均应答(秒)', '平均通话(秒)', '平均话后整理(秒)', '参评', '不满意', '满意率'],
    s.byAgent.map((a) => [a.staffNo, a.name, a.answered, a.answered15s, sec(a.asaSec), sec(a.ahtSec), sec(a.avgWrapUpSec), a.rated, a.ratings.dissatisfied, pct(a.satisfactionRate)]));
  table('t-hour', ['时段', ...CALL_HEAD], s.byHour.filter((h) => h.offered > 0).map((h) => [`${h.hour}:00-${h.hour + 1}:00`, ...callCells(h)]));
  table('t-callbacks', ['类型', '创建', '完成', '按期完成'], [...s.callbacks.byKind.map((k) => [KINDS[k.kind] || k.kind, k.created, k.completed, k.completedInTime]),
    ['合计', s.callbacks.created, s.callbacks.completed, s.callbacks.completedInTime]]);
  const ac = s.afterCall;
  table('t-after-call', ['事项', '数量', '完成/到场', '按期/履约', '比例'], [
    ['办事预约（到场 ÷ 到场与爽约）', ac.appointments.booked, ac.appointments.kept, `爽约 ${ac.appointments.noShow}`, pct(ac.appointments.keptRate)],
    ['法律援助申请（7个工作日内决定）', ac.applications.received, ac.applications.decided, ac.applications.decidedOnTime, pct(ac.applications.onTimeRate)],
    ['投诉建议与政务监督（按期办结）', ac.tickets.created, ac.tickets.closed, ac.tickets.closedOnTime, pct(ac.tickets.onTimeRate)],
  ]);
  $('st-qa').textContent = s.qa.available ? `抽检 ${s.qa.sampled} 通，质检率 ${pct(s.qa.sampleRate)}，平均分 ${s.qa.avgScore == null ? '—' : s.qa.avgScore.toFixed(1)}` : '无数据（质检评分尚未接入）';
  table('t-risk', ['法律问题类别', '地点', '件数'], s.risk.groups.map((g) => [g.topic, g.place, g.count]));
  $('st-defs').replaceChildren(...s.definitions.flatMap((d) => {
    const dt = document.createElement('dt'); dt.textContent = d.label;
    const dd = document.createElement('dd'); dd.textContent = d.definition;
    return [dt, dd];
  }));
}

const DISPOSITIONS = { resolved: '已解答', follow_up: '需后续办理', transferred: '已转办', referred: '已转介' };
const day = (iso) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function drawInsight(repeat, vulnerable, lawyers) {
  table('t-repeat', ['来电号码', '期内来电', '7日内重复', '首次', '最近', '服务类别', '法律问题', '绿色通道', '事项'],
    repeat.map((r) => [r.number, r.calls, r.repeats, day(r.firstAt), day(r.lastAt), r.lines.join('、'), r.topics.join('、'), r.vulnerable || '',
      r.matters.map((m) => `${day(m.at)} ${m.matter}（${DISPOSITIONS[m.disposition] || m.disposition}${m.riskFlag ? '，舆情' : ''}）`).join('；')]));
  table('t-vulnerable', ['来电号码', '类别', '来电', '接通', '15秒内接通', '放弃', '平均等待(秒)', '最长等待(秒)', '最近来电'],
    vulnerable.map((v) => [v.number, v.reason, v.calls, v.answered, v.answered15s, v.abandoned, v.avgWaitSec ?? '—', v.maxWaitSec ?? '—', v.lastAt ? day(v.lastAt) : '—']));
  table('t-lawyers', ['工号', '姓名', '接听', '日均接听', '通话(小时)', '参评', '不满意', '满意率', '现星级', '建议星级'],
    lawyers.map((l) => [l.staffNo, l.name, l.answered, l.callsPerDay, l.talkHours, l.rated, l.ratings.dissatisfied, pct(l.satisfactionRate),
      l.currentStars ?? '—', l.suggestedStars ?? '评价不足']));
}

async function load(ev) {
  if (ev) ev.preventDefault();
  $('st-error').textContent = '';
  const q = new URLSearchParams(new FormData($('st-form'))).toString();
  window.history.replaceState(null, '', `?${q}`);
  try {
    const [s, repeat, vulnerable, lawyers] = await Promise.all([api(`/api/stats?${q}`), api(`/api/insight/repeat-callers?${q}&withinDays=7`),
      api(`/api/insight/vulnerable?${q}`), api(`/api/insight/lawyers?${q}`)]);
    draw(s, q);
    drawInsight(repeat, vulnerable, lawyers);
  } catch (err) { $('st-error').textContent = `查询失败：${err.message}`; }
}

(function init() {
  const params = new URLSearchParams(location.search);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  $('st-form').elements.from.value = params.get('from') || `${today.slice(0, 8)}01`;
  $('st-form').elements.to.value = params.get('to') || today;
  $('st-form').addEventListener('submit', load);
  window.addEventListener('resize', () => { for (const c of Object.values(charts)) c.resize(); });
  void load();
})();
