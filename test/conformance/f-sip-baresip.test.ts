import { conformance } from './harness.js';

conformance('f-sip-baresip');
