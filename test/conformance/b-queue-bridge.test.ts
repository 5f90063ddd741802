import { conformance } from './harness.js';

conformance('b-queue-bridge');
