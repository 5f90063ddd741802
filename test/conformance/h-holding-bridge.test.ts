import { conformance } from './harness.js';

conformance('h-holding-bridge', {
  looseBodies: {
    // Asterisk reads the playback's state for the 201 while the channel's own thread may already have started it:
    // this play answered "playing", the same play on the same bridged channel at #19 answered "queued".
    14: 'racy 201 state (queued or playing)',
  },
});
