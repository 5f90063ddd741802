import { conformance } from './harness.js';

conformance('j-snoop');
