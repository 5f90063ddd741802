import { conformance } from './harness.js';

conformance('e-recordings');
