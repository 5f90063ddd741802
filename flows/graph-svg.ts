// A self-contained SVG of a flow, laid out here (layered, top-down) so that no drawing dependency is needed:
// loops (retries, "back to the menu") are found by depth-first search and drawn round the right-hand side; every
// other edge points down, through small reserved slots in the rows it crosses so that it does not cut through boxes.
import { END } from './types.js';
import { graphOf, type GraphBox, type GraphEdge } from './graph.js';
import type { Flow } from './nodes/index.js';

const FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','PingFang SC','Microsoft YaHei',sans-serif";
const ROW = 110;
const GAP = 30;
const BOX_H = 50;
const SLOT_W = 14;
const FILL: Record<string, string> = {
  menu: '#fff4d6', collect: '#fff4d6', survey: '#fff4d6', condition: '#e8f0ff', hours: '#e8f0ff', queue: '#e3f6e8',
  transfer: '#e3f6e8', hangup: '#f2f2f2', end: '#f2f2f2', voicemail: '#fde8ef', lookup: '#efe8fd',
};

/** Rough text width: CJK glyphs are about one em, Latin about 0.6 em. Good enough to size boxes. */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[\u2E80-\uFFEF]/.test(ch) ? size : size * 0.6;
  return w;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A box or a slot (an edge passing through a row). */
interface Cell { key: string; w: number; layer: number; x: number; box?: GraphBox }
interface Routed { edge: GraphEdge; back: boolean; cells: Cell[] }

function boxWidth(b: GraphBox): number {
  return Math.max(110, Math.ceil(Math.max(textWidth(b.title, 15), textWidth(b.subtitle, 11))) + 28);
}

function layout(flow: Flow, boxes: GraphBox[], edges: GraphEdge[]): { cells: Map<string, Cell>; routes: Routed[] } {
  // Back edges: edges into a node still on the depth-first stack.
  const out = new Map<string, GraphEdge[]>(boxes.map((b) => [b.id, []]));
  for (const e of edges) out.get(e.from)!.push(e);
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<GraphEdge>();
  const order: string[] = [];
  const dfs = (v: string) => {
    state.set(v, 'open');
    order.push(v);
    for (const e of out.get(v)!) {
      if (state.get(e.to) === 'open') back.add(e);
      else if (!state.has(e.to)) dfs(e.to);
    }
    state.set(v, 'done');
  };
  dfs(flow.start);
  for (const b of boxes) if (!state.has(b.id)) dfs(b.id);
  // Longest-path layers over the forward edges, in depth-first order (a topological order of them).
  const layer = new Map<string, number>(boxes.map((b) => [b.id, 0]));
  const finished: string[] = [];
  const seen = new Set<string>();
  const visit = (v: string) => {
    seen.add(v);
    for (const e of out.get(v)!) if (!back.has(e) && !seen.has(e.to)) visit(e.to);
    finished.push(v);
  };
  for (const v of order) if (!seen.has(v)) visit(v);
  for (const v of finished.reverse()) {
    for (const e of out.get(v)!) if (!back.has(e)) layer.set(e.to, Math.max(layer.get(e.to)!, layer.get(v)! + 1));
  }
  const cells = new Map<string, Cell>();
  for (const b of boxes) cells.set(b.id, { key: b.id, w: boxWidth(b), layer: layer.get(b.id)!, x: 0, box: b });
  const routes: Routed[] = edges.map((edge, i) => {
    const a = cells.get(edge.from)!;
    const b = cells.get(edge.to)!;
    if (back.has(edge)) return { edge, back: true, cells: [a, b] };
    const path = [a];
    for (let l = a.layer + 1; l < b.layer; l++) {
      const slot = { key: `slot${i}-${l}`, w: SLOT_W, layer: l, x: 0 };
      cells.set(slot.key, slot);
      path.push(slot);
    }
    path.push(b);
    return { edge, back: false, cells: path };
  });
  place(cells, routes, order);
  return { cells, routes };
}

/** Orders each row by the mean position of its parents (a few sweeps), then packs it, pulled towards the parents. */
function place(cells: Map<string, Cell>, routes: Routed[], dfsOrder: string[]): void {
  const rows: Cell[][] = [];
  const rank = new Map(dfsOrder.map((id, i) => [id, i]));
  for (const c of cells.values()) (rows[c.layer] ??= []).push(c);
  const parents = new Map<Cell, Cell[]>();
  for (const r of routes) {
    if (r.back) continue;
    for (let i = 1; i < r.cells.length; i++) parents.set(r.cells[i], [...(parents.get(r.cells[i]) ?? []), r.cells[i - 1]]);
  }
  const pos = new Map<Cell, number>();
  rows.forEach((row) => row.sort((a, b) => (rank.get(a.key) ?? 1e9) - (rank.get(b.key) ?? 1e9)).forEach((c, i) => pos.set(c, i)));
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const row of rows) {
      if (!row) continue;
      const bary = (c: Cell) => {
        const ps = parents.get(c) ?? [];
        return ps.length ? ps.reduce((s, p) => s + pos.get(p)!, 0) / ps.length : pos.get(c)!;
      };
      row.sort((a, b) => bary(a) - bary(b)).forEach((c, i) => pos.set(c, i));
    }
  }
  for (const row of rows) {
    if (!row) continue;
    let right = -Infinity;
    for (const c of row) {
      const ps = parents.get(c) ?? [];
      const want = ps.length ? ps.reduce((s, p) => s + p.x + p.w / 2, 0) / ps.length - c.w / 2 : 0;
      c.x = Math.max(want, right + (c.box ? GAP : 6));
      right = c.x + c.w;
    }
  }
  const minX = Math.min(...[...cells.values()].map((c) => c.x));
  for (const c of cells.values()) c.x += 20 - minX;
}

/** The point at `t` on the vertical S curve drawn between two points (cubic Bézier, control points above/below). */
function sCurveAt([x1, y1]: [number, number], [x2, y2]: [number, number], t: number): [number, number] {
  const s = 3 * t * t - 2 * t * t * t;
  const k = (y2 - y1) / 2;
  const u = 1 - t;
  return [x1 + (x2 - x1) * s, u * u * u * y1 + 3 * u * u * t * (y1 + k) + 3 * u * t * t * (y2 - k) + t * t * t * y2];
}

export function toSvg(flow: Flow): string {
  const { boxes, edges } = graphOf(flow);
  const { cells, routes } = layout(flow, boxes, edges);
  const y = (c: Cell) => 20 + c.layer * ROW;
  const all = [...cells.values()];
  const W = Math.max(...all.map((c) => c.x + c.w)) + 140;
  const H = Math.max(...all.map((c) => y(c) + BOX_H)) + 30;
  const parts: string[] = [];
  let lane = 0;
  for (const r of routes) {
    const [a, b] = [r.cells[0], r.cells[r.cells.length - 1]];
    let d: string;
    let lx: number;
    let ly: number;
    if (r.back) {
      const off = 36 + 12 * (lane++ % 6);
      const [x1, y1, x2, y2] = [a.x + a.w, y(a) + BOX_H / 2 + 6, b.x + b.w, y(b) + BOX_H / 2 - 6];
      const cx = Math.max(x1, x2) + off;
      d = `M${x1},${y1} C${cx},${y1} ${cx},${y2} ${x2},${y2}`;
      [lx, ly] = [cx - 8, (y1 + y2) / 2];
    } else {
      // Down through the slots: a smooth vertical S between each pair of points.
      const pts: [number, number][] = [[a.x + a.w / 2, y(a) + BOX_H]];
      for (const s of r.cells.slice(1, -1)) pts.push([s.x + s.w / 2, y(s)], [s.x + s.w / 2, y(s) + BOX_H]);
      pts.push([b.x + b.w / 2, y(b)]);
      d = `M${pts[0][0]},${pts[0][1]}`;
      for (let i = 1; i < pts.length; i++) {
        const [[x1, y1], [x2, y2]] = [pts[i - 1], pts[i]];
        const k = (y2 - y1) / 2;
        d += x1 === x2 ? ` L${x2},${y2}` : ` C${x1},${y1 + k} ${x2},${y2 - k} ${x2},${y2}`;
      }
      // The label sits 60 % down the first curve, where edges fanning out of one box have drawn apart.
      [lx, ly] = sCurveAt(pts[0], pts[1], pts[0][0] === pts[1][0] ? 0.5 : 0.6);
    }
    const lw = textWidth(r.edge.label, 11) + 8;
    parts.push(
      `<path d="${d}" fill="none" stroke="#667" stroke-width="1.2" marker-end="url(#arrow)"/>`,
      `<rect x="${(lx - lw / 2).toFixed(1)}" y="${(ly - 8).toFixed(1)}" width="${lw.toFixed(1)}" height="16" rx="3" fill="#fff" fill-opacity="0.85"/>`,
      `<text x="${lx.toFixed(1)}" y="${(ly + 4).toFixed(1)}" font-size="11" text-anchor="middle" fill="#334">${esc(r.edge.label)}</text>`,
    );
  }
  for (const c of all) {
    const b = c.box;
    if (!b) continue;
    const cx = (c.x + c.w / 2).toFixed(1);
    const stroke = b.id === flow.start ? 2.5 : 1.2;
    parts.push(
      `<g id="node-${esc(b.id)}"><rect x="${c.x.toFixed(1)}" y="${y(c)}" width="${c.w}" height="${BOX_H}" rx="${b.type === 'end' ? 25 : 6}" fill="${FILL[b.type] ?? '#fff'}" stroke="#445" stroke-width="${stroke}"/>`,
      b.id === END
        ? `<text x="${cx}" y="${y(c) + 30}" font-size="15" text-anchor="middle" fill="#111">${esc(b.title)}</text></g>`
        : `<text x="${cx}" y="${y(c) + 21}" font-size="15" text-anchor="middle" fill="#111">${esc(b.title)}</text>` +
          `<text x="${cx}" y="${y(c) + 39}" font-size="11" text-anchor="middle" fill="#556">${esc(b.subtitle)}</text></g>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(W)}" height="${Math.ceil(H)}" viewBox="0 0 ${Math.ceil(W)} ${Math.ceil(H)}" font-family="${FONT}">`,
    flow.meta.title ? `<title>${esc(flow.meta.title)}</title>` : '',
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#667"/></marker></defs>',
    '<rect width="100%" height="100%" fill="#fff"/>',
    ...parts,
    '</svg>',
  ].join('\n') + '\n';
}
