// `hotline` command line: flow tools for authors and supervisors, desk accounts for admins.
//   hotline flows lint <file...>                      file:line:col reason per problem; exit 1 if any, else "ok"
//   hotline flows graph <file> [--format mermaid|svg] [--out <file>]
//   hotline admin create|password ...                 desk accounts (agent-desk/admin-cli.ts)
// Exit codes: 0 clean, 1 problems found, 2 wrong usage or unreadable file.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { toSvg } from '../flows/graph-svg.js';
import { toMermaid } from '../flows/graph.js';
import { formatProblem, loadFlow } from '../flows/load.js';

const USAGE = `usage:
  hotline flows lint <file...>
  hotline flows graph <file> [--format mermaid|svg] [--out <file>]
  hotline admin create --staff-no <工号> --name <姓名> [--role admin|supervisor|agent] [--password <pw>]
  hotline admin password --staff-no <工号> [--password <pw>]`;

interface Io { out(s: string): void; err(s: string): void }

function read(file: string, io: Io): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return undefined;
  }
}

function lint(files: string[], io: Io): number {
  if (files.length === 0) return (io.err(USAGE), 2);
  let status = 0;
  for (const f of files) {
    const text = read(f, io);
    if (text === undefined) {
      status = 2;
      continue;
    }
    const r = loadFlow(text, f);
    if ('problems' in r) {
      for (const p of r.problems) io.out(formatProblem(p));
      status = Math.max(status, 1);
    }
  }
  if (status === 0) io.out('ok');
  return status;
}

function graph(args: string[], io: Io): number {
  let format = 'mermaid';
  let out: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a === '--out') {
      const v = args[++i];
      if (v === undefined) return (io.err(`${a} needs a value\n${USAGE}`), 2);
      if (a === '--format') format = v;
      else out = v;
    } else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a.startsWith('-')) return (io.err(`unknown option ${a}\n${USAGE}`), 2);
    else files.push(a);
  }
  if (files.length !== 1) return (io.err(USAGE), 2);
  if (format !== 'mermaid' && format !== 'svg') return (io.err(`unknown format ${format}: mermaid or svg`), 2);
  const text = read(files[0], io);
  if (text === undefined) return 2;
  const r = loadFlow(text, files[0]);
  if ('problems' in r) {
    // A graph of a broken flow would mislead whoever reads it: show what to fix instead.
    for (const p of r.problems) io.err(formatProblem(p));
    return 1;
  }
  const drawing = format === 'svg' ? toSvg(r.flow) : toMermaid(r.flow);
  if (out) writeFileSync(out, drawing);
  else io.out(drawing.replace(/\n$/, ''));
  return 0;
}

/** Flow commands answer at once; `admin` needs the database, so it answers with a promise. */
export function main(argv: string[], io: Io = { out: (s) => console.log(s), err: (s) => console.error(s) }): number | Promise<number> {
  const [group, cmd, ...rest] = argv;
  // Loaded on demand: linting a flow must not pull in the ORM and the desk.
  if (group === 'admin') return import('../agent-desk/admin-cli.js').then((m) => m.adminMain([cmd, ...rest].filter((a) => a !== undefined), io));
  if (group === 'flows' && cmd === 'lint') return lint(rest, io);
  if (group === 'flows' && cmd === 'graph') return graph(rest, io);
  if (group === '--help' || group === '-h' || group === 'help') return (io.out(USAGE), 0);
  io.err(USAGE);
  return 2;
}

// Run when executed as `node --import tsx bin/hotline.ts`; the bin/hotline.js shim and tests call main() themselves.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
