// channels.json: call control on /channels; media, variables and snoop ops are in channelMedia.ts.
import { api, op, pathParam, query, type Resource } from './build.js';
import { channelMediaApis } from './channelMedia.js';
import { channelModels } from './channelModels.js';
import {
  CHANNEL_ID,
  CH_BAD_STATE,
  CH_CONTROL,
  CH_NOT_FOUND,
  CH_NOT_IN_APP,
  SINCE_12,
  channelSimple,
  originateParams,
  originateTail,
  variablesBody,
} from './shared.js';

// Short local names for the shared channel pieces.
const CH = CHANNEL_ID;
const NOT_FOUND = CH_NOT_FOUND;
const NOT_IN_APP = CH_NOT_IN_APP;
const BAD_STATE = CH_BAD_STATE;
const CONTROL = CH_CONTROL;
const S12 = SINCE_12;
const simple = channelSimple;

const HANGUP_REASONS = [
  'normal',
  'busy',
  'congestion',
  'no_answer',
  'timeout',
  'rejected',
  'unallocated',
  'normal_unspecified',
  'number_incomplete',
  'codec_mismatch',
  'interworking',
  'failure',
  'answered_elsewhere',
];
const ORIGINATE_ERRORS: Array<[number, string]> = [
  [400, 'Invalid parameters for originating a channel.'],
  [409, 'Channel with given unique ID already exists.'],
];

export const channels: Resource = {
  name: 'channels',
  listingDescription: 'Channel resources',
  swaggerVersion: '1.1',
  since: ['12.0.0'],
  requiresModules: ['res_stasis_answer', 'res_stasis_playback', 'res_stasis_recording', 'res_stasis_snoop'],
  apis: [
    api(
      '/channels',
      'Active channels',
      op('GET', 'list', 'List[Channel]', 'List all active channels in Asterisk.', [], [], S12),
      op(
        'POST',
        'originate',
        'Channel',
        'Create a new channel (originate).',
        [...originateParams(), query('channelId', 'Id to give the new channel.'), ...originateTail()],
        ORIGINATE_ERRORS,
        { ...S12, notes: 'The channel is created at once and its snapshot returned; dialing goes on asynchronously.' },
      ),
    ),
    api(
      '/channels/create',
      'Create a channel in a Stasis application without dialing it yet.',
      op(
        'POST',
        'create',
        'Channel',
        'Create channel.',
        [
          query('endpoint', 'Endpoint the channel talks to.', { required: true }),
          query('app', 'Stasis application to put the channel into.', { required: true }),
          query('appArgs', 'Arguments for that Stasis application.'),
          query('channelId', 'Id to give the new channel.'),
          query('otherChannelId', 'Id for the second channel when a Local channel is created.'),
          query('originator', 'Id of the calling channel.'),
          query('formats', 'Format names to offer when no originator is given, e.g. "ulaw,slin16".'),
          variablesBody('new channel'),
        ],
        [[409, 'Channel with given unique ID already exists.']],
        { since: ['14.0.0'] },
      ),
    ),
    api(
      '/channels/{channelId}',
      'Active channel',
      op('GET', 'get', 'Channel', 'Channel details.', [CH], [NOT_FOUND], S12),
      op(
        'POST',
        'originateWithId',
        'Channel',
        'Create a new channel (originate with id).',
        [pathParam('channelId', 'Id to give the new channel.'), ...originateParams(), ...originateTail()],
        ORIGINATE_ERRORS,
        { since: ['12.2.0'], notes: 'Same as originate, with the channel id in the path.' },
      ),
      op(
        'DELETE',
        'hangup',
        'void',
        'Delete (i.e. hangup) a channel.',
        [
          CH,
          query('reason_code', "Numeric hangup cause to use. Not with 'reason'."),
          query('reason', "Named hangup reason. Not with 'reason_code'.", { values: HANGUP_REASONS }),
        ],
        [
          [400, 'Invalid reason for hangup provided'],
          NOT_FOUND,
        ],
        S12,
      ),
    ),
    api(
      '/channels/{channelId}/continue',
      'Leave the application and continue in the dialplan',
      op(
        'POST',
        'continueInDialplan',
        'void',
        'Exit application; continue execution in the dialplan.',
        [
          CH,
          query('context', 'Context to continue in.'),
          query('extension', 'Extension to continue in.'),
          query('priority', 'Priority to continue at.', { type: 'int' }),
          query('label', "Label to continue at; wins over 'priority'."),
        ],
        CONTROL,
        S12,
      ),
    ),
    api(
      '/channels/{channelId}/move',
      'Move the channel to another Stasis application.',
      op(
        'POST',
        'move',
        'void',
        'Move the channel from one Stasis application to another.',
        [
          CH,
          query('app', 'Stasis application to hand the channel to.', { required: true }),
          query('appArgs', "Arguments for the application in 'app'."),
        ],
        [NOT_FOUND, NOT_IN_APP],
        { since: ['13.26.0', '16.3.0'] },
      ),
    ),
    api(
      '/channels/{channelId}/redirect',
      'Ask the channel to redirect itself elsewhere; it will most likely leave the application.',
      op(
        'POST',
        'redirect',
        'void',
        'Redirect the channel to a different location.',
        [CH, query('endpoint', 'Endpoint to redirect the channel to.', { required: true })],
        [
          [400, 'Endpoint parameter not provided'],
          [404, 'Channel or endpoint not found'],
          NOT_IN_APP,
          [422, 'Endpoint is not the same type as the channel'],
          BAD_STATE,
        ],
        { since: ['13.3.0'] },
      ),
    ),
    api('/channels/{channelId}/answer', 'Answer a channel', simple('POST', 'answer', 'Answer a channel.')),
    api(
      '/channels/{channelId}/ring',
      'Send a ringing indication to a channel',
      simple('POST', 'ring', 'Indicate ringing to a channel.'),
      simple('DELETE', 'ringStop', 'Stop ringing indication on a channel if locally generated.'),
    ),
    api(
      '/channels/{channelId}/progress',
      'Send a progress indication to a channel',
      op('POST', 'progress', 'void', 'Indicate progress on a channel.', [CH], CONTROL, {
        since: ['22.6.0', '21.11.0', '20.16.0'],
      }),
    ),
    api(
      '/channels/{channelId}/dtmf',
      'Send DTMF to a channel',
      op(
        'POST',
        'sendDTMF',
        'void',
        'Send provided DTMF to a given channel.',
        [
          CH,
          query('dtmf', 'Digits to send.'),
          query('before', 'Milliseconds to wait before the first digit.', { type: 'int', def: 0 }),
          query('between', 'Milliseconds between digits.', { type: 'int', def: 100 }),
          query('duration', 'Milliseconds each digit lasts.', { type: 'int', def: 100 }),
          query('after', 'Milliseconds to wait after the last digit.', { type: 'int', def: 0 }),
        ],
        [[400, 'DTMF is required'], ...CONTROL],
        S12,
      ),
    ),
    api(
      '/channels/{channelId}/mute',
      'Mute a channel',
      op(
        'POST',
        'mute',
        'void',
        'Mute a channel.',
        [CH, query('direction', 'Audio direction to mute.', { def: 'both', values: ['both', 'in', 'out'] })],
        CONTROL,
        S12,
      ),
      op(
        'DELETE',
        'unmute',
        'void',
        'Unmute a channel.',
        [CH, query('direction', 'Audio direction to unmute.', { def: 'both', values: ['both', 'in', 'out'] })],
        CONTROL,
        S12,
      ),
    ),
    api(
      '/channels/{channelId}/hold',
      'Put a channel on hold',
      simple('POST', 'hold', 'Hold a channel.'),
      simple('DELETE', 'unhold', 'Remove a channel from hold.'),
    ),
    api(
      '/channels/{channelId}/moh',
      'Play music on hold to a channel',
      op('POST', 'startMoh', 'void', 'Play music on hold to a channel.', [CH, query('mohClass', 'Music on hold class.')], CONTROL, {
        ...S12,
        notes: 'A later media operation such as /play suspends the music; the application has to start it again.',
      }),
      simple('DELETE', 'stopMoh', 'Stop playing music on hold to a channel.'),
    ),
    ...channelMediaApis,
  ],
  models: channelModels,
};
