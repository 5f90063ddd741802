import { conformance } from './harness.js';

conformance('g0-endpoints-info');
