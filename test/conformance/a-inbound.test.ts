import { conformance } from './harness.js';

conformance('a-inbound');
