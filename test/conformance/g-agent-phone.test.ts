import { conformance } from './harness.js';

conformance('g-agent-phone');
