#!/usr/bin/env node
// Runs before `npm start` / `npm test`: installs dependencies when node_modules is missing or
// older than package-lock.json (a pull changed the lock). Plain JS with no dependencies, because
// it must work precisely when node_modules is not there yet.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (p) => {
  try {
    return statSync(path.join(root, p)).mtimeMs;
  } catch {
    return undefined;
  }
};

const lock = mtime('package-lock.json');
// npm rewrites node_modules/.package-lock.json on every install; the folder's own mtime only
// changes when a top-level entry is added or removed, so it is just the fallback.
const installed = mtime('node_modules/.package-lock.json') ?? mtime('node_modules');

let reason;
if (installed === undefined) reason = 'node_modules is missing';
else if (lock !== undefined && lock > installed) reason = 'package-lock.json is newer than node_modules';

if (reason) {
  console.error(`[ensure-deps] ${reason}: running npm ci`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[ensure-deps] npm ci failed (${r.error?.message ?? `exit code ${r.status}`})`);
    process.exit(r.status || 1);
  }
  console.error('[ensure-deps] dependencies installed');
}
