import { conformance } from './harness.js';

conformance('c-originate');
