import { conformance } from './harness.js';

conformance('i-barge-in');
