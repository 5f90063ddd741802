import { conformance } from './harness.js';

conformance('c7-create-dial');
