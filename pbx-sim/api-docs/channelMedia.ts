// channels.json, continued: media, variables, snoop, dial and external media on /channels.
import { api, body, op, pathParam, query, type Api } from './build.js';
import {
  CHANNEL_ID as CH,
  CH_BAD_STATE as BAD_STATE,
  CH_CONTROL as CONTROL,
  CH_NOT_FOUND as NOT_FOUND,
  CH_NOT_IN_APP as NOT_IN_APP,
  SINCE_12 as S12,
  channelSimple as simple,
  playParams,
  recordParams,
  variablesBody,
} from './shared.js';

const DIRECTIONS = ['none', 'both', 'out', 'in'];
const snoopParams = [
  query('spy', 'Which audio direction to listen to.', { def: 'none', values: DIRECTIONS }),
  query('whisper', 'Which audio direction to speak into.', { def: 'none', values: DIRECTIONS }),
  query('app', 'Stasis application the snoop channel is put into.', { required: true }),
  query('appArgs', 'Arguments for that Stasis application.'),
];

export const channelMediaApis: Api[] = [
  api(
    '/channels/{channelId}/silence',
    'Play silence to a channel',
    simple('POST', 'startSilence', 'Play silence to a channel.'),
    simple('DELETE', 'stopSilence', 'Stop playing silence to a channel.'),
  ),
  api(
    '/channels/{channelId}/play',
    'Play media to a channel',
    op('POST', 'play', 'Playback', 'Start playback of media.', [CH, ...playParams(true)], CONTROL, {
      ...S12,
      notes: 'Creates a playback resource that can be controlled through /playbacks.',
    }),
  ),
  api(
    '/channels/{channelId}/play/{playbackId}',
    'Play media to a channel',
    op(
      'POST',
      'playWithId',
      'Playback',
      'Start playback of media and specify the playbackId.',
      [CH, pathParam('playbackId', 'Playback ID.'), ...playParams(false)],
      CONTROL,
      { since: ['12.2.0'], notes: 'Creates a playback resource that can be controlled through /playbacks.' },
    ),
  ),
  api(
    '/channels/{channelId}/record',
    'Record audio from a channel',
    op(
      'POST',
      'record',
      'LiveRecording',
      'Start a recording.',
      [CH, ...recordParams()],
      [
        [400, 'Invalid parameters'],
        NOT_FOUND,
        [409, 'Channel not in a Stasis application, or a recording of that name exists and may not be replaced'],
        [422, 'The format specified is unknown on this system'],
      ],
      { ...S12, notes: 'Records what the channel sends, not what it hears; bridges have their own record.' },
    ),
  ),
  api(
    '/channels/{channelId}/variable',
    'Variables on a channel',
    op(
      'GET',
      'getChannelVar',
      'Variable',
      'Get the value of a channel variable or function.',
      [CH, query('variable', 'Variable or function to read.', { required: true })],
      [[400, 'Missing variable parameter.'], [404, 'Channel or variable not found'], NOT_IN_APP],
      S12,
    ),
    op(
      'POST',
      'setChannelVar',
      'void',
      'Set the value of a channel variable or function.',
      [
        CH,
        query('variable', 'Variable or function to set.', { required: true }),
        query('value', 'Value to set.'),
        query('report_events', 'Also include the variable in events about this channel.', { type: 'boolean' }),
      ],
      [[400, 'Missing variable parameter.'], NOT_FOUND, NOT_IN_APP],
      S12,
    ),
  ),
  // Multiple-variable paths (seen answering on 22.10.1); nicknames follow the single-variable pair.
  api(
    '/channels/{channelId}/variables',
    'Several variables on a channel at once',
    op(
      'GET',
      'getChannelVars',
      'Variables',
      'Get the values of several channel variables or functions.',
      [CH, query('variables', 'Comma separated variable or function names.', { required: true, multi: true })],
      [[400, 'Missing variables parameter.'], [404, 'Channel or variable not found']],
    ),
    op(
      'POST',
      'setChannelVars',
      'void',
      'Set several channel variables or functions.',
      [
        CH,
        body('variables', 'The "variables" key of the JSON body holds the name/value pairs to set.', 'containers', true),
        query('report_events', 'Also include the variables in events about this channel.', { type: 'boolean' }),
      ],
      [[400, 'Missing variables.'], NOT_FOUND],
    ),
  ),
  api(
    '/channels/{channelId}/snoop',
    'Snoop (spy/whisper) on a channel',
    op(
      'POST',
      'snoopChannel',
      'Channel',
      'Start snooping.',
      [CH, ...snoopParams, query('snoopId', 'Id to give the snoop channel.')],
      [[400, 'Invalid parameters'], NOT_FOUND],
      { ...S12, notes: 'Spy on and/or whisper to a channel through a new snoop channel.' },
    ),
  ),
  api(
    '/channels/{channelId}/snoop/{snoopId}',
    'Snoop (spy/whisper) on a channel',
    op(
      'POST',
      'snoopChannelWithId',
      'Channel',
      'Start snooping.',
      [CH, pathParam('snoopId', 'Id to give the snoop channel.'), ...snoopParams],
      [[400, 'Invalid parameters'], NOT_FOUND],
      { since: ['12.2.0'], notes: 'Spy on and/or whisper to a channel through a new snoop channel.' },
    ),
  ),
  api(
    '/channels/{channelId}/dial',
    'Dial a channel',
    op(
      'POST',
      'dial',
      'void',
      'Dial a created channel.',
      [
        CH,
        query('caller', 'Id of the calling channel.'),
        query('timeout', 'Seconds to wait for an answer; 0 waits forever.', { type: 'int', def: 0, min: 0 }),
      ],
      [
        [404, 'Channel cannot be found.'],
        [409, 'Channel cannot be dialed.'],
      ],
      { since: ['14.0.0'] },
    ),
  ),
  api(
    '/channels/{channelId}/rtp_statistics',
    'RTP statistics of a channel',
    op('GET', 'rtpstatistics', 'RTPstat', 'RTP stats on a channel.', [CH], [[404, 'Channel cannot be found.']], {
      since: ['13.27.0', '16.4.0'],
    }),
  ),
  api(
    '/channels/externalMedia',
    'Create a channel to an external media source/sink.',
    op(
      'POST',
      'externalMedia',
      'Channel',
      'Start an External Media session.',
      [
        query('channelId', 'Id to give the new channel.'),
        query('app', 'Stasis application to put the channel into.', { required: true }),
        variablesBody('new channel'),
        query('external_host', 'host:port of the external media server (client connections).'),
        query('encapsulation', 'Payload encapsulation.', { def: 'rtp', values: ['rtp', 'audiosocket', 'none'] }),
        query('transport', 'Transport protocol.', { def: 'udp', values: ['udp', 'tcp', 'websocket'] }),
        query('connection_type', 'Who opens the connection.', { def: 'client', values: ['client', 'server'] }),
        query('format', 'Audio format to exchange.', { required: true }),
        query('direction', 'Media direction.', { def: 'both', values: ['both'] }),
        query('data', 'Arbitrary data passed to the channel driver.'),
        query('transport_data', 'Extra transport specific data.'),
      ],
      [
        [400, 'Invalid parameters'],
        [409, 'Channel is not in a Stasis application; Channel is already bridged'],
      ],
      { since: ['16.6.0', '17.1.0'], notes: 'Creates a channel that exchanges media with an outside process.' },
    ),
  ),
  api(
    '/channels/{channelId}/transfer_progress',
    'Tell the channel how a transfer it asked for is going.',
    op(
      'POST',
      'transfer_progress',
      'void',
      'Inform the channel about the progress of the attended/blind transfer.',
      [CH, query('states', 'State of the transfer.', { required: true })],
      [[400, 'Endpoint parameter not provided'], [404, 'Channel or endpoint not found'], NOT_IN_APP, BAD_STATE],
      { since: ['22.3.0', '21.8.0', '20.13.0'] },
    ),
  ),
];
