import { conformance } from './harness.js';

// Identical originates in this very trace interleave Dial "" with the far half's Answer()/Up both ways (l-out-busy
// vs l-out-default), the no-answer timeout destroys ;1 between ;2's two hang-up requests in l6 but after them in c5,
// and a desk phone's Dial RINGING comes before its Ringing state in l5 but after it in l3/l4 (BEHAVIOUR.md: "either
// order"). Each channel's own order is still compared strictly.
conformance('l-hangup-reasons', {
  interleaving: ['ChannelStateChange', 'Dial', 'ChannelDialplan', 'ChannelHangupRequest', 'ChannelDestroyed'],
  fields: { Dial: ['dialstatus', 'dialstring', 'peer.name', 'caller.name', 'forwarded.name'] },
});
