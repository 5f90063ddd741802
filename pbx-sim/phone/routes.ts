// The simulated caller's phone for demos: a small Chinese page at /sim/phone that places a call to 12348 through the
// /sim/ API, sends keys and lists what the caller heard (in the words of the hotline's prompt catalogue). Plain
// files, no build step, served by the simulator itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PROMPT_VARS, PROMPTS } from '../../prompts/catalogue.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const FILES: Record<string, { file: string; type: string }> = {
  '/sim/phone': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/sim/phone/phone.js': { file: 'phone.js', type: 'text/javascript; charset=utf-8' },
  '/sim/phone/phone.css': { file: 'phone.css', type: 'text/css; charset=utf-8' },
};

/** What each prompt says (the demo's default centre name and hours), so the page can show the words, not ids. */
function promptTexts(): Record<string, string> {
  const vars = DEFAULT_PROMPT_VARS as Record<string, string>;
  return Object.fromEntries(Object.entries(PROMPTS).map(([id, text]) => [id, text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m)]));
}

export function phoneRoutes(app: FastifyInstance): void {
  const texts = JSON.stringify(promptTexts());
  app.get('/sim/phone/prompts.json', async (_req, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(texts));
  for (const [url, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(path.join(DIR, file));
    app.get(url, async (_req, reply) => reply.header('content-type', type).header('cache-control', 'no-cache').send(body));
  }
}
