import { conformance } from './harness.js';

conformance('g6-unreachable-phone');
