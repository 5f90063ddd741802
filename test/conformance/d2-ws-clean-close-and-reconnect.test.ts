import { conformance } from './harness.js';

conformance('d2-ws-clean-close-and-reconnect');
