// Drawing a flow for supervisors. graphOf() gives boxes (the Chinese label from meta, else the id, over "id · type")
// and edges carrying the outcomes in Chinese, merged when several outcomes lead to the same place; toMermaid() writes
// Mermaid text for the desk to render; graph-svg.ts draws the same graph as SVG.
import { END } from './types.js';
import { nodeModule, type Flow } from './nodes/index.js';

const OUTCOME_ZH: Record<string, string> = {
  done: '完成', error: '出错', timeout: '超时', nomatch: '按键无效', ok: '输入完成', true: '是', false: '否',
  open: '工作时间', closed: '非工作时间', answered: '已接通', overflow: '无人接听', recorded: '已留言', rated: '已评价',
  found: '查到', notFound: '未查到', failed: '转接失败', transferred: '已转接',
};
const TYPE_ZH: Record<string, string> = {
  play: '放音', menu: '菜单', collect: '收号', condition: '条件', hours: '工作时间', set: '标记', queue: '排队',
  voicemail: '留言', survey: '满意度', transfer: '转接', hangup: '挂机', lookup: '查询',
};

export interface GraphEdge { from: string; to: string; label: string }
export interface GraphBox { id: string; title: string; subtitle: string; type: string }

/** Boxes and merged, labelled edges; END becomes a box of its own when anything leads there. */
export function graphOf(flow: Flow): { boxes: GraphBox[]; edges: GraphEdge[] } {
  const boxes: GraphBox[] = Object.values(flow.nodes).map((n) => {
    const label = flow.meta.nodes?.[n.id]?.label;
    const type = TYPE_ZH[n.type] ?? n.type;
    return { id: n.id, title: label ?? n.id, subtitle: label === undefined ? type : `${n.id} · ${type}`, type: n.type };
  });
  const merged = new Map<string, GraphEdge>();
  const link = (from: string, to: string, label: string) => {
    const k = `${from}\u0000${to}`;
    const e = merged.get(k);
    if (e) e.label += `, ${label}`;
    else merged.set(k, { from, to, label });
  };
  for (const n of Object.values(flow.nodes)) {
    const m = nodeModule(n.type);
    if (m.choices) {
      const map = (n.params as Record<string, unknown>)[m.choices.param] as Record<string, string>;
      for (const [k, to] of Object.entries(map)) link(n.id, to, `按${k}`);
    }
    for (const [o, to] of Object.entries(n.on as Record<string, string>)) {
      if (m.ends?.includes(o)) continue; // the box itself says the call ends (hang-up, transfer)
      link(n.id, to, OUTCOME_ZH[o] ?? o);
    }
  }
  const edges = [...merged.values()];
  if (edges.some((e) => e.to === END)) boxes.push({ id: END, title: '结束', subtitle: END, type: 'end' });
  return { boxes, edges };
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

const MERMAID_SHAPE: Record<string, [string, string]> = {
  menu: ['{{', '}}'], collect: ['{{', '}}'], survey: ['{{', '}}'], condition: ['{', '}'], hours: ['{', '}'],
  queue: ['[[', ']]'], hangup: ['([', '])'], voicemail: ['[/', '/]'], transfer: ['>', ']'], lookup: ['[(', ')]'],
  end: ['((', '))'],
};

/** Mermaid flowchart. Node ids are renamed n0, n1, ... because ids like `end` or `o-x` break Mermaid's parser. */
export function toMermaid(flow: Flow): string {
  const { boxes, edges } = graphOf(flow);
  const alias = new Map(boxes.map((b, i) => [b.id, `n${i}`]));
  const out = ['flowchart TD'];
  if (flow.meta.title) out.unshift(`---\ntitle: ${JSON.stringify(flow.meta.title)}\n---`);
  out.push(`  start(("开始")) --> ${alias.get(flow.start)}`);
  for (const b of boxes) {
    const [l, r] = MERMAID_SHAPE[b.type] ?? ['[', ']'];
    const text = b.type === 'end' ? mermaidText(b.title) : `${mermaidText(b.title)}<br/><small>${mermaidText(b.subtitle)}</small>`;
    out.push(`  ${alias.get(b.id)}${l}"${text}"${r}`);
  }
  for (const e of edges) out.push(`  ${alias.get(e.from)} -->|"${mermaidText(e.label)}"| ${alias.get(e.to)}`);
  return out.join('\n') + '\n';
}
