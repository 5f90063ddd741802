import { conformance } from './harness.js';

conformance('h-holding-bridge', {
  looseBodies: {
    // Asterisk reads the playback's state for the 201 while the channel's own thread may already have started it:
    // this play answered "playing", the same play on the same bridged channel at #19 answered "queued".
    14: 'racy 201 state (queued or playing)',
  },
  // The snoop recording runs on the wall clock for the whole scenario: 27.88 s in the trace, a hair under the next
  // whole second, so the replay's few milliseconds of pacing drift may round it either way.
  tolerance: { 'recording.duration': 1 },
});
