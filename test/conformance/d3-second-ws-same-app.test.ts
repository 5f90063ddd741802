import { conformance } from './harness.js';

conformance('d3-second-ws-same-app');
