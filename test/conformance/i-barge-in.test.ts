import { conformance } from './harness.js';

conformance('i-barge-in', {
  looseBodies: {
    // Asterisk reads the playback's state for the 201 while the channel's own thread may already have started it:
    // this play answered "playing", the same kind of play a few seconds earlier (#31) answered "queued".
    34: 'racy 201 state (queued or playing)',
  },
});
