// channels.json models: Channel and the types it is made of.
import { model, models, opt, req, type Model } from './build.js';

export const channelModels: Record<string, Model> = models(
    model('Dialed', 'Dialed channel information.', {}),
    model('DialplanCEP', 'Dialplan location (context/extension/priority)', {
      context: req('string', 'Dialplan context'),
      exten: req('string', 'Dialplan extension'),
      priority: req('long', 'Dialplan priority'),
      app_name: req('string', 'Name of the dialplan application running now'),
      app_data: req('string', 'Argument of the dialplan application running now'),
    }),
    model('CallerID', 'Caller identification', {
      name: req('string'),
      number: req('string'),
    }),
    model('RTPstat', 'RTP statistics of a channel.', rtpStatProps()),
    model('Channel', 'A specific communication connection between Asterisk and an Endpoint.', {
      id: req('string', 'Unique id of the channel (the Uniqueid of AMI).'),
      protocol_id: req('string', 'Protocol id of the channel driver (SIP Call-ID for PJSIP); empty when none.'),
      name: req('string', 'Name of the channel (e.g. PJSIP/8001-00000001)'),
      state: req('string', undefined, [
        'Down',
        'Rsrved',
        'OffHook',
        'Dialing',
        'Ring',
        'Ringing',
        'Up',
        'Busy',
        'Dialing Offhook',
        'Pre-ring',
        'Unknown',
      ]),
      caller: req('CallerID'),
      connected: req('CallerID'),
      accountcode: req('string'),
      dialplan: req('DialplanCEP', 'Where the channel is in the dialplan'),
      creationtime: req('Date', 'When the channel was created'),
      language: req('string', 'Default spoken language'),
      channelvars: opt('object', 'Channel variables'),
      caller_rdnis: opt('string', 'Caller ID RDNIS'),
      tenantid: opt('string', 'Tenant id of the channel'),
    }),
    model('Variables', 'Values of several variables.', {
      variables: req('object', 'Variable name to value'),
    }),
);

function rtpStatProps() {
  const out: Record<string, ReturnType<typeof req>> = {
    txcount: req('int', 'Packets sent.'),
    rxcount: req('int', 'Packets received.'),
    txjitter: opt('double', 'Jitter of sent packets.'),
    rxjitter: opt('double', 'Jitter of received packets.'),
  };
  // Remote/local min/max/average/deviation figures, all optional doubles.
  for (const side of ['remote', 'local'])
    for (const kind of ['jitter', 'rxploss'])
      for (const stat of ['max', 'min', 'normdev', 'stdev'])
        out[`${side}_${stat}${kind}`] = opt('double', `${stat} ${kind} on the ${side} side.`);
  Object.assign(out, {
    txploss: req('int', 'Sent packets lost.'),
    rxploss: req('int', 'Received packets lost.'),
    rtt: opt('double', 'Round trip time.'),
    maxrtt: opt('double', 'Longest round trip time.'),
    minrtt: opt('double', 'Shortest round trip time.'),
    normdevrtt: opt('double', 'Average round trip time.'),
    stdevrtt: opt('double', 'Standard deviation of round trip time.'),
    local_ssrc: req('int', 'Our SSRC.'),
    remote_ssrc: req('int', 'Their SSRC.'),
    txoctetcount: req('int', 'Octets sent.'),
    rxoctetcount: req('int', 'Octets received.'),
    channel_uniqueid: req('string', 'Unique id of the channel owning this RTP instance.'),
  });
  return out;
}
