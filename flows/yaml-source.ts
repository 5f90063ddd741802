// Parses flow YAML keeping positions: syntax errors, duplicate keys (which plain YAML parsers silently merge or
// reject with a generic message) and a locator that turns a document path into line:col for lint messages.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YNode } from 'yaml';

export interface Pos { line: number; col: number }

/** Maps a path in the parsed value to a position. `key: true` points at the last key rather than its value. */
export type Locator = (path: readonly (string | number)[], opts?: { key?: boolean }) => Pos;

export const NO_POS: Locator = () => ({ line: 0, col: 0 });

export interface SourceIssue { pos: Pos; path: (string | number)[]; reason: string }

export interface ParsedSource {
  /** The plain value (undefined when the text is not usable YAML). */
  value: unknown;
  /** Syntax errors: when present, `value` is undefined and nothing else should be checked. */
  errors: SourceIssue[];
  /** Duplicate or non-scalar keys, unresolved tags: the value is still usable. */
  issues: SourceIssue[];
  locate: Locator;
}

// Enough for any real flow, small enough that an alias bomb ("billion laughs") is refused quickly.
const MAX_ALIAS_COUNT = 1000;

export function parseSource(text: string): ParsedSource {
  const lc = new LineCounter();
  const pos = (offset: number | undefined): Pos => {
    if (offset === undefined) return { line: 1, col: 1 };
    const p = lc.linePos(offset);
    return { line: p.line, col: p.col };
  };
  // uniqueKeys: false so that duplicates reach our own check, which names the node id and the first definition.
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false, strict: true });
  const locate = makeLocator(doc, pos);
  const errors = doc.errors.map((e) => ({
    pos: pos(e.pos[0]),
    path: [],
    // The library's wording for this one speaks to programmers ("use parseAllDocuments").
    reason: e.code === 'MULTIPLE_DOCS' ? 'YAML: a flow file holds one document (remove the second ---)' : `YAML: ${firstLine(e.message)}`,
  }));
  if (errors.length) return { value: undefined, errors, issues: [], locate };
  const issues: SourceIssue[] = doc.warnings.map((e) => ({ pos: pos(e.pos[0]), path: [], reason: `YAML: ${firstLine(e.message)}` }));
  issues.push(...duplicateKeys(doc, pos));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { value: undefined, errors: [{ pos: { line: 1, col: 1 }, path: [], reason: `YAML: ${firstLine(String((e as Error).message))}` }], issues: [], locate };
  }
  return { value, errors: [], issues, locate };
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function keyText(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  return undefined;
}

function duplicateKeys(doc: Document, pos: (o: number | undefined) => Pos): SourceIssue[] {
  const out: SourceIssue[] = [];
  const nodesMap = isMap(doc.contents) ? doc.contents.items.find((p) => keyText(p.key) === 'nodes')?.value : undefined;
  visit(doc, {
    Map(_k, map) {
      const seen = new Map<string, Pos>();
      for (const pair of map.items) {
        const k = keyText(pair.key);
        const at = pos((pair.key as YNode | null)?.range?.[0]);
        if (k === undefined) {
          out.push({ pos: at, path: [], reason: 'keys must be plain scalars' });
          continue;
        }
        const first = seen.get(k);
        if (first) {
          const what = map === nodesMap ? 'node id' : 'key';
          out.push({ pos: at, path: [], reason: `duplicate ${what} '${k}' (first at line ${first.line})` });
        } else {
          seen.set(k, at);
        }
      }
    },
  });
  return out;
}

/**
 * Walks the YAML tree along `path`. When the path ends at something that does not exist (a missing key), the
 * position is that of the deepest key that does exist, which is where a reader would add the missing one.
 */
function makeLocator(doc: Document, pos: (o: number | undefined) => Pos): Locator {
  return (path, opts = {}) => {
    let node: unknown = doc.contents;
    let lastKey: number | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        // Like toJS, the last of duplicate keys wins.
        const pair = [...node.items].reverse().find((p) => keyText(p.key) === String(seg));
        if (!pair) return pos(lastKey ?? (node as YNode).range?.[0]);
        const kpos = (pair.key as YNode | null)?.range?.[0];
        if (i === path.length - 1 && opts.key) return pos(kpos);
        lastKey = kpos;
        if (pair.value === null || pair.value === undefined) return pos(kpos);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
      } else {
        return pos(lastKey ?? (node as YNode | null)?.range?.[0]);
      }
    }
    return pos((node as YNode | null)?.range?.[0] ?? lastKey);
  };
}
