import { conformance } from './harness.js';

// Asterisk interleaves the two Local halves' events differently from run to run: ;1 Up before ;2 Up in c1 but after
// it in b and in all four l-out calls; Dial "" before ;2's first dialplan events in c4/c5 but after them in c6-dup.
// Each channel's own order is still compared strictly. The peer's state inside a Dial event is a snapshot taken on
// either side of that race, so it is left out of Dial's fields here.
conformance('c-originate', {
  interleaving: ['ChannelStateChange', 'Dial', 'ChannelDialplan', 'ChannelHangupRequest', 'ChannelDestroyed'],
  fields: { Dial: ['dialstatus', 'dialstring', 'peer.name', 'caller.name', 'forwarded.name'] },
});
