import { DEFAULT_FIELDS } from './trace.js';
import { conformance } from './harness.js';

conformance('j-snoop', {
  eitherOrder: [
    // Dial "" and ChannelStateChange Ringing race (j's agent leg: state change first; supervisor leg: Dial first).
    ['Dial', 'ChannelStateChange'],
    // The bridge recorder ends on its own thread when the last member leaves: its RecordingFinished lands before the
    // member's ChannelDestroyed in g-agent-phone, after it here.
    ['RecordingFinished', 'ChannelDestroyed'],
  ],
  fields: {
    // The Dial's peer.state follows whichever of the racing pair came first.
    Dial: DEFAULT_FIELDS.Dial.filter((f) => f !== 'peer.state'),
    // When the supervisor, last member, leaves, the recorder's channel shows in bridge.channels here but not in the
    // same moment of g-agent-phone (channels []).
    ChannelLeftBridge: DEFAULT_FIELDS.ChannelLeftBridge.filter((f) => f !== 'bridge.channels'),
  },
});
