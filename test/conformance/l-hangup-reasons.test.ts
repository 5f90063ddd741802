import { conformance } from './harness.js';

conformance('l-hangup-reasons');
