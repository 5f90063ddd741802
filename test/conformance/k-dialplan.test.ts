import { conformance } from './harness.js';

conformance('k-dialplan');
