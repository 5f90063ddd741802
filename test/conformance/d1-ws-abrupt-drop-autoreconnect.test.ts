import { conformance } from './harness.js';

conformance('d1-ws-abrupt-drop-autoreconnect');
