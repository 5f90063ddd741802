// The statistics as tables: one column list per breakdown, shared by the CSV download (one breakdown) and the Excel
// workbook (every breakdown a sheet, plus the definitions). Rates are fractions in Excel (formatted as %) and
// percentages with one decimal in CSV, the way a centre reads them.
import ExcelJS from 'exceljs';
import { csvCell } from '../csv.js';
import { CALLBACK_KIND_NAMES } from './definitions.js';
import type { CallFigures } from './query.js';
import type { StatsAnswer } from './service.js';

type Kind = 'int' | 'rate' | 'sec' | 'text';
type Col<T> = [header: string, kind: Kind, get: (r: T) => string | number | null];

const CALL_COLS: Array<Col<CallFigures>> = [
  ['呼入量', 'int', (r) => r.offered], ['接通量', 'int', (r) => r.answered], ['15秒内接通', 'int', (r) => r.answered15s],
  ['放弃量', 'int', (r) => r.abandoned], ['15秒内放弃', 'int', (r) => r.abandoned15s], ['其他未接通', 'int', (r) => r.unansweredOther],
  ['接通率', 'rate', (r) => r.connectionRate], ['服务水平(15秒接通/呼入)', 'rate', (r) => r.serviceLevel],
  ['服务水平(剔除15秒内放弃)', 'rate', (r) => r.serviceLevelAlt], ['平均应答(秒)', 'sec', (r) => r.asaSec],
  ['平均通话(秒)', 'sec', (r) => r.ahtSec], ['转出', 'int', (r) => r.transferredOut], ['转入', 'int', (r) => r.transferredIn],
  ['绿色通道呼入', 'int', (r) => r.greenOffered], ['绿色通道平均等待(秒)', 'sec', (r) => r.greenAsaSec],
  ['参评量', 'int', (r) => r.rated], ['满意', 'int', (r) => r.ratings.satisfied], ['基本满意', 'int', (r) => r.ratings.basicallySatisfied],
  ['不满意', 'int', (r) => r.ratings.dissatisfied], ['满意率', 'rate', (r) => r.satisfactionRate],
];

// Columns are typed per table where they are made; here a table is only walked, row by row.
interface Table { name: string; cols: Array<Col<never>>; rows: unknown[] }

export const BREAKDOWNS = ['line', 'topic', 'hour', 'day', 'agent', 'callbacks', 'risk'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

function tables(s: StatsAnswer): Record<Breakdown | 'total', Table> {
  const withKey = <T>(header: string, get: (r: T) => string): Array<Col<T & CallFigures>> => [[header, 'text', get as never], ...CALL_COLS];
  return {
    total: { name: '总体', cols: withKey<object>('统计期', () => `${s.period.from} — ${s.period.to}`), rows: [s.total] },
    line: { name: '按服务类别', cols: withKey<{ name: string }>('服务类别', (r) => r.name), rows: s.byLine },
    topic: { name: '按法律问题', cols: withKey<{ topic: string }>('法律问题类别', (r) => r.topic), rows: s.byTopic },
    hour: { name: '按时段', cols: withKey<{ hour: number }>('时段', (r) => `${String(r.hour).padStart(2, '0')}:00-${String(r.hour + 1).padStart(2, '0')}:00`), rows: s.byHour },
    day: { name: '按日', cols: withKey<{ date: string }>('日期', (r) => r.date), rows: s.byDay },
    agent: {
      name: '按律师',
      cols: [['工号', 'text', (r) => r.staffNo], ['姓名', 'text', (r) => r.name], ['接听量', 'int', (r) => r.answered],
        ['15秒内接听', 'int', (r) => r.answered15s], ['平均应答(秒)', 'sec', (r) => r.asaSec], ['平均通话(秒)', 'sec', (r) => r.ahtSec],
        ['话后整理次数', 'int', (r) => r.wrapUps], ['平均话后整理(秒)', 'sec', (r) => r.avgWrapUpSec], ['参评量', 'int', (r) => r.rated],
        ['不满意', 'int', (r) => r.ratings.dissatisfied], ['满意率', 'rate', (r) => r.satisfactionRate]] as Array<Col<StatsAnswer['byAgent'][number]>>,
      rows: s.byAgent,
    },
    callbacks: {
      name: '回拨',
      cols: [['类型', 'text', (r) => CALLBACK_KIND_NAMES[r.kind] ?? r.kind], ['创建', 'int', (r) => r.created],
        ['完成', 'int', (r) => r.completed], ['按期完成', 'int', (r) => r.completedInTime]] as Array<Col<StatsAnswer['callbacks']['byKind'][number]>>,
      rows: s.callbacks.byKind,
    },
    risk: {
      name: '舆情风险',
      cols: [['法律问题类别', 'text', (r) => r.topic], ['地点', 'text', (r) => r.place], ['件数', 'int', (r) => r.count]] as Array<Col<StatsAnswer['risk']['groups'][number]>>,
      rows: s.risk.groups,
    },
  };
}

function csvValue(kind: Kind, v: string | number | null): string {
  if (v === null) return '';
  if (kind === 'rate') return `${(Number(v) * 100).toFixed(1)}%`;
  if (kind === 'sec') return Number(v).toFixed(1);
  return String(v);
}

export function statsCsv(s: StatsAnswer, by: Breakdown): string {
  const t = tables(s)[by];
  const lines = [t.cols.map(([h]) => csvCell(h)).join(',')];
  for (const r of t.rows as never[]) lines.push(t.cols.map(([, k, get]) => csvCell(csvValue(k, get(r)))).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export async function statsWorkbook(s: StatsAnswer): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '12348 热线';
  for (const t of Object.values(tables(s))) {
    const ws = wb.addWorksheet(t.name);
    ws.addRow(t.cols.map(([h]) => h)).font = { bold: true };
    for (const r of t.rows as never[]) {
      // A text cell that looks like a formula stays text: exceljs writes strings as strings, never as formulas.
      ws.addRow(t.cols.map(([, , get]) => get(r)));
    }
    t.cols.forEach(([, k], i) => {
      const col = ws.getColumn(i + 1);
      col.width = k === 'text' ? 18 : 12;
      if (k === 'rate') col.numFmt = '0.0%';
      if (k === 'sec') col.numFmt = '0.0';
    });
  }
  const defs = wb.addWorksheet('指标定义');
  defs.addRow(['指标', '定义']).font = { bold: true };
  for (const d of s.definitions) defs.addRow([d.label, d.definition]);
  defs.getColumn(1).width = 24;
  defs.getColumn(2).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
