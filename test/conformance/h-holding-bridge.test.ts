import { conformance } from './harness.js';

conformance('h-holding-bridge');
