import { conformance } from './harness.js';

conformance('a3-inbound-record-terminate-on-hash');
