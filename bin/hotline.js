#!/usr/bin/env node
// npm bin entry. The CLI is TypeScript: register tsx's ESM loader in this process (tsx/esm/api, Node >= 20.6),
// then load it. One process, no re-spawn, so exit codes and signals behave as for any node program.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./hotline.ts');
process.exitCode = await main(process.argv.slice(2));
