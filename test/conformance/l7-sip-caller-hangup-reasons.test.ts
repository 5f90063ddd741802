import { conformance } from './harness.js';

conformance('l7-sip-caller-hangup-reasons');
