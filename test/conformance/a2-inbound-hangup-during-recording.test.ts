import { conformance } from './harness.js';

conformance('a2-inbound-hangup-during-recording');
