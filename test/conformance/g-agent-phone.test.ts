import { DEFAULT_FIELDS } from './trace.js';
import { conformance } from './harness.js';

conformance('g-agent-phone', {
  // Dial "" (the dialling thread) and ChannelStateChange Ringing (the phone's 180, on the SIP thread) race: g1 and g3
  // show Dial first, g2 the state change first. The Dial's peer.state follows whichever came first.
  eitherOrder: [['Dial', 'ChannelStateChange']],
  fields: { Dial: DEFAULT_FIELDS.Dial.filter((f) => f !== 'peer.state') },
});
