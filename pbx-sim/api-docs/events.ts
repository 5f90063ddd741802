// events.json: the /events websocket, user events, broadcast claims, and every message model.
// ari-client 2.2.0 looks each incoming frame's `type` up in THIS file's models and throws a
// TypeError (uncaught, inside the ws 'message' handler) when it is missing, so every type
// Asterisk 22 can send must be a model here.
import { api, body, model, models, op, opt, pathParam, query, req, type Model, type Resource } from './build.js';

const ch = (description?: string) => req('Channel', description);
const br = (description?: string) => req('Bridge', description);

/** Concrete Event subtypes, in the order Asterisk lists them. */
const EVENT_MODELS: Model[] = [
  model('DeviceStateChanged', 'A device state changed.', { device_state: req('DeviceState', 'The device and its new state') }),
  model('PlaybackStarted', 'A playback started (or resumed).', { playback: req('Playback', 'The playback') }),
  model('PlaybackContinuing', 'A playback moved on to the next URI of its list.', { playback: req('Playback', 'The playback') }),
  model('PlaybackFinished', 'A playback ended (done or failed).', { playback: req('Playback', 'The playback') }),
  model('RecordingStarted', 'A recording started.', { recording: req('LiveRecording', 'The recording') }),
  model('RecordingFinished', 'A recording ended and was stored.', { recording: req('LiveRecording', 'The recording') }),
  model('RecordingFailed', 'A recording failed.', { recording: req('LiveRecording', 'The recording') }),
  model('ApplicationMoveFailed', 'Moving a channel to another Stasis application failed.', {
    channel: ch(),
    destination: req('string'),
    args: req('List[string]', 'Arguments meant for the application'),
  }),
  model('ApplicationRegistered', 'The application was registered (outbound websockets only).', {}),
  model('ApplicationReplaced', 'Another websocket took over this application; this one gets nothing more.', {}),
  model('ApplicationUnregistered', 'The application was unregistered (outbound websockets only).', {}),
  model('BridgeCreated', 'A bridge was created.', { bridge: br() }),
  model('BridgeDestroyed', 'A bridge was destroyed.', { bridge: br() }),
  model('BridgeMerged', 'One bridge was merged into another.', { bridge: br(), bridge_from: br() }),
  model('BridgeBlindTransfer', 'A blind transfer happened.', {
    channel: ch('Channel that did the transfer'),
    replace_channel: opt('Channel', 'Channel standing in for the transferer when needed'),
    transferee: opt('Channel', 'Channel being transferred'),
    exten: req('string', 'Extension transferred to'),
    context: req('string', 'Context transferred to'),
    result: req('string', 'Outcome of the transfer'),
    is_external: req('boolean', 'Whether something outside Asterisk started the transfer'),
    bridge: opt('Bridge', 'Bridge being transferred'),
  }),
  model('BridgeAttendedTransfer', 'An attended transfer happened.', {
    transferer_first_leg: ch('First leg of the transferer'),
    transferer_second_leg: ch('Second leg of the transferer'),
    replace_channel: opt('Channel', 'Channel replacing the first leg in a swap'),
    transferee: opt('Channel', 'Channel being transferred'),
    transfer_target: opt('Channel', 'Channel transferred to'),
    result: req('string', 'Outcome of the transfer'),
    is_external: req('boolean', 'Whether something outside Asterisk started the transfer'),
    transferer_first_leg_bridge: opt('Bridge', 'Bridge of the first leg'),
    transferer_second_leg_bridge: opt('Bridge', 'Bridge of the second leg'),
    destination_type: req('string', 'How the transfer was carried out'),
    destination_bridge: opt('string', 'Bridge left after a merge'),
    destination_application: opt('string', 'Application transferred into'),
    destination_link_first_leg: opt('Channel', 'First leg of a link result'),
    destination_link_second_leg: opt('Channel', 'Second leg of a link result'),
    destination_threeway_channel: opt('Channel', 'Transferer channel left after a threeway result'),
    destination_threeway_bridge: opt('Bridge', 'Bridge left after a threeway result'),
  }),
  model('BridgeVideoSourceChanged', 'The video source of a bridge changed.', {
    bridge: br(),
    old_video_source_id: opt('string'),
  }),
  model('CallBroadcast', 'StasisBroadcast offers a channel; the first application to claim it gets it.', {
    channel: ch('The channel on offer'),
    caller: opt('string', 'Caller number'),
    called: opt('string', 'Called number'),
  }),
  model('CallClaimed', 'A broadcast channel was claimed.', {
    channel: ch('The claimed channel'),
    winner_app: req('string', 'Application that won the claim'),
  }),
  model('ChannelCreated', 'A channel was created.', { channel: ch() }),
  model('ChannelDestroyed', 'A channel was destroyed.', {
    cause: req('int', 'Hangup cause (Q.850 number)'),
    cause_txt: req('string', 'Hangup cause as text'),
    tech_cause: opt('int', 'Technology specific cause, e.g. a SIP response code'),
    channel: ch(),
  }),
  model('ChannelEnteredBridge', 'A channel entered a bridge.', { bridge: br(), channel: opt('Channel') }),
  model('ChannelLeftBridge', 'A channel left a bridge.', { bridge: br(), channel: ch() }),
  model('ChannelStateChange', 'The state of a channel changed.', { channel: ch() }),
  model('ChannelDtmfReceived', 'A DTMF digit ended on a channel (there is no event for its start).', {
    digit: req('string', 'Digit: 0-9, A-E, # or *'),
    duration_ms: req('int', 'How long the digit lasted, in milliseconds'),
    channel: ch('Channel the digit came in on'),
  }),
  model('ChannelDialplan', 'A channel moved in the dialplan.', {
    channel: ch('The channel'),
    dialplan_app: req('string', 'Application about to run'),
    dialplan_app_data: req('string', 'Arguments of that application'),
  }),
  model('ChannelCallerId', 'The caller ID of a channel changed.', {
    caller_presentation: req('int', 'Caller presentation as a number'),
    caller_presentation_txt: req('string', 'Caller presentation as text'),
    channel: ch('The channel'),
  }),
  model('ChannelUserevent', 'A user event, with user-defined fields.', {
    eventname: req('string', 'Name of the user event'),
    channel: opt('Channel', 'Channel the event is about'),
    bridge: opt('Bridge', 'Bridge the event is about'),
    endpoint: opt('Endpoint', 'Endpoint the event is about'),
    userevent: req('object', 'User-defined data'),
  }),
  model('ChannelHangupRequest', 'Someone asked for a channel to hang up.', {
    cause: opt('int', 'Hangup cause as a number'),
    tech_cause: opt('int', 'Technology specific cause, e.g. a SIP response code'),
    soft: opt('boolean', 'Whether it was a soft hangup request'),
    channel: ch('The channel'),
  }),
  model('ChannelVarset', 'A channel variable changed.', {
    variable: req('string', 'Variable name'),
    value: req('string', 'New value'),
    channel: opt('Channel', 'The channel; absent for a global variable'),
  }),
  model('ChannelToneDetected', 'A tone was detected on a channel.', { channel: ch('The channel') }),
  model('ChannelTalkingStarted', 'Talking was detected on a channel.', { channel: ch('The channel') }),
  model('ChannelTalkingFinished', 'Talking stopped on a channel.', {
    channel: ch('The channel'),
    duration: req('int', 'How long the talking lasted, in milliseconds'),
  }),
  model('ChannelHold', 'A channel put its peer on hold.', {
    channel: ch('The channel that asked for hold'),
    musicclass: opt('string', 'Music on hold class asked for'),
  }),
  model('ChannelUnhold', 'A channel took its peer off hold.', { channel: ch('The channel that asked') }),
  model('ContactStatusChange', 'A contact of an endpoint changed state.', {
    endpoint: req('Endpoint'),
    contact_info: req('ContactInfo'),
  }),
  model('EndpointStateChange', 'An endpoint changed state.', { endpoint: req('Endpoint') }),
  model('Dial', 'The state of a dial attempt changed.', {
    caller: opt('Channel', 'Calling channel'),
    peer: ch('Dialed channel'),
    forward: opt('string', 'Forward target the dialed channel asked for'),
    forwarded: opt('Channel', 'Channel the caller was forwarded to'),
    dialstring: opt('string', 'Dial string used to call the peer'),
    dialstatus: req('string', 'Status of the attempt (empty, RINGING, ANSWER, BUSY, NOANSWER, ...)'),
  }),
  model('StasisEnd', 'A channel left the Stasis application.', { channel: ch() }),
  model('StasisStart', 'A channel entered the Stasis application.', {
    args: req('List[string]', 'Application arguments'),
    channel: ch(),
    replace_channel: opt('Channel'),
  }),
  model('TextMessageReceived', 'A text message arrived from an endpoint.', {
    message: req('TextMessage'),
    endpoint: opt('Endpoint'),
  }),
  model('ChannelConnectedLine', 'The connected line of a channel changed.', { channel: ch('The channel') }),
  model('PeerStatusChange', 'A peer of an endpoint changed state.', { endpoint: req('Endpoint'), peer: req('Peer') }),
  model('ChannelTransfer', 'A transfer was requested on a channel (e.g. SIP REFER).', {
    state: opt('string', 'Transfer state'),
    refer_to: req('ReferTo', 'Where the transfer should go'),
    referred_by: req('ReferredBy', 'Who asked for the transfer'),
  }),
  model('RESTResponse', 'Answer to a REST request sent over the websocket.', {
    transaction_id: opt('string', 'Transaction id copied from the request'),
    request_id: opt('string', 'Request id copied from the request'),
    status_code: req('int', 'HTTP status code'),
    reason_phrase: req('string', 'HTTP reason phrase'),
    uri: req('string', 'URI of the request'),
    content_type: opt('string', 'Content type of message_body'),
    message_body: opt('string', 'Response body'),
  }),
];

const SUPPORT_MODELS: Model[] = [
  model('ContactInfo', 'A contact of an endpoint.', {
    uri: req('string', 'Contact URI'),
    contact_status: req('string', 'Contact state', ['Unreachable', 'Reachable', 'Unknown', 'NonQualified', 'Removed']),
    aor: req('string', 'Address of record the contact belongs to'),
    roundtrip_usec: opt('string', 'Round trip time in microseconds'),
  }),
  model('Peer', 'A remote peer talking to Asterisk.', {
    peer_status: req('string', 'Peer state; values depend on the technology'),
    cause: opt('string', 'Why the state changed'),
    address: opt('string', 'IP address of the peer'),
    port: opt('string', 'Port of the peer'),
    time: opt('string', 'When the peer was last heard from'),
  }),
  model('ReferTo', 'Destination of a requested transfer.', {
    requested_destination: req('RequiredDestination'),
    destination_channel: opt('Channel', 'Channel to be replaced'),
    connected_channel: opt('Channel', 'Channel connected to the one to be replaced'),
    bridge: opt('Bridge', 'Bridge joining those two channels'),
  }),
  model('ReferredBy', 'Who asked for a transfer.', {
    source_channel: ch('Channel the request came in on'),
    connected_channel: opt('Channel', 'Channel connected to it'),
    bridge: opt('Bridge', 'Bridge joining the two'),
  }),
  model('RequiredDestination', 'Requested transfer destination.', {
    protocol_id: opt('string', 'Protocol id to replace (SIP Call-ID); not with destination'),
    destination: opt('string', 'User part of a blind transfer target; not with protocol_id'),
    additional_protocol_params: opt('List[AdditionalParam]', 'Extra protocol specific data'),
  }),
  model('AdditionalParam', 'A protocol specific parameter.', {
    parameter_name: req('string'),
    parameter_value: req('string'),
  }),
  model('RESTQueryStringParameter', 'One query string parameter of a websocket REST request.', {
    name: req('string'),
    value: req('string'),
  }),
  model('RESTRequest', 'A REST request sent by the application over the websocket.', {
    type: req('string', 'Always RESTRequest'),
    transaction_id: opt('string'),
    request_id: opt('string'),
    method: req('string', 'HTTP method'),
    uri: req('string', 'Resource path, e.g. channels/{id}/answer'),
    content_type: opt('string'),
    message_body: opt('string'),
    query_strings: opt('List[RESTQueryStringParameter]'),
  }),
];

export const eventModelNames: readonly string[] = EVENT_MODELS.map((m) => m.id);

export const events: Resource = {
  name: 'events',
  listingDescription: 'WebSocket resource',
  swaggerVersion: '1.2',
  since: ['12.0.0'],
  requiresModules: ['res_http_websocket'],
  apis: [
    api(
      '/events',
      'Events from Asterisk to applications',
      op(
        'GET',
        'eventWebsocket',
        'Message',
        'WebSocket connection for events.',
        [
          query('app', 'Applications to subscribe to.', { required: true, multi: true }),
          query('subscribeAll', 'Subscribe the applications to all events, not only to what they asked for.', {
            type: 'boolean',
          }),
        ],
        [],
        { since: ['12.0.0'], upgrade: 'websocket', websocketProtocol: 'ari' },
      ),
    ),
    api(
      '/events/user/{eventName}',
      'Stasis application user events',
      op(
        'POST',
        'userEvent',
        'void',
        'Generate a user event.',
        [
          pathParam('eventName', 'Event name'),
          query('application', 'Application that receives the event', { required: true }),
          query('source', 'Event sources: channel:{channelId}, bridge:{bridgeId}, endpoint:{tech}/{resource}, deviceState:{deviceName}', {
            multi: true,
          }),
          body('variables', 'The "variables" key of the JSON body holds custom key/value pairs for the event.'),
        ],
        [
          [404, 'Application does not exist.'],
          [422, 'Event source not found.'],
          [400, 'Invalid event source URI or userevent data.'],
        ],
        { since: ['12.3.0'] },
      ),
    ),
    // Nickname and parameter names are our best reading of the 22.7 StasisBroadcast docs.
    api(
      '/events/claim',
      'Claim a channel offered by StasisBroadcast',
      op(
        'POST',
        'claimChannel',
        'void',
        'Claim a broadcast channel for this application.',
        [
          query('channelId', 'Id of the offered channel', { required: true }),
          query('application', 'Application claiming it', { required: true }),
        ],
        [
          [400, 'Missing parameters.'],
          [404, 'Channel or broadcast not found.'],
          [409, 'Channel already claimed.'],
        ],
        { since: ['20.17.0', '22.7.0', '23.1.0'] },
      ),
    ),
  ],
  models: models(
    model(
      'Message',
      'Base type for errors and events',
      {
        type: req('string', 'Type of this message.'),
        asterisk_id: opt('string', 'Id of the Asterisk instance that sent it.'),
      },
      { discriminator: 'type', subTypes: ['MissingParams', 'Event'] },
    ),
    model('MissingParams', 'Error sent when required parameters are missing.', {
      params: req('List[string]', 'Names of the missing parameters'),
    }),
    model(
      'Event',
      'Base type for asynchronous events from Asterisk.',
      {
        application: req('string', 'Application the event is sent to.'),
        timestamp: req('Date', 'When the event was created.'),
      },
      { subTypes: [...eventModelNames] },
    ),
    ...SUPPORT_MODELS,
    ...EVENT_MODELS,
  ),
};
