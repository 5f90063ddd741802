// bridges.json: /bridges operations and the Bridge model.
import { api, model, models, op, opt, pathParam, query, req, type Resource } from './build.js';
import { playParams, recordParams, variablesBody } from './shared.js';

const BR = pathParam('bridgeId', "Bridge's id");
const NOT_FOUND: [number, string] = [404, 'Bridge not found'];
const NOT_IN_APP: [number, string] = [409, 'Bridge not in a Stasis application'];
const S12 = { since: ['12.0.0'] };

const createParams = [
  query('type', 'Comma separated bridge type attributes (mixing, holding, dtmf_events, proxy_media, video_sfu, video_single, sdp_label).'),
  query('name', 'Name to give the bridge.'),
];

export const bridges: Resource = {
  name: 'bridges',
  listingDescription: 'Bridge resources',
  swaggerVersion: '1.1',
  since: ['12.0.0'],
  requiresModules: ['res_stasis_recording', 'res_stasis_playback'],
  apis: [
    api(
      '/bridges',
      'Active bridges',
      op('GET', 'list', 'List[Bridge]', 'List all active bridges in Asterisk.', [], [], S12),
      op(
        'POST',
        'create',
        'Bridge',
        'Create a new bridge.',
        [createParams[0], query('bridgeId', 'Id to give the bridge.'), createParams[1], variablesBody('bridge')],
        [[409, 'Bridge with the same bridgeId already exists']],
        { ...S12, notes: 'The bridge lives until it is deleted.' },
      ),
    ),
    api(
      '/bridges/{bridgeId}',
      'Individual bridge',
      op(
        'POST',
        'createWithId',
        'Bridge',
        'Create a new bridge or update an existing one.',
        [createParams[0], pathParam('bridgeId', 'Id to give the bridge.'), createParams[1], variablesBody('bridge')],
        [[409, 'Bridge with the same bridgeId already exists']],
        { since: ['12.2.0'], notes: 'The bridge lives until it is deleted.' },
      ),
      op('GET', 'get', 'Bridge', 'Get bridge details.', [BR], [NOT_FOUND], S12),
      op('DELETE', 'destroy', 'void', 'Shut down a bridge.', [BR], [NOT_FOUND], {
        ...S12,
        notes: 'Channels still in the bridge are removed from it and go back to their Stasis application.',
      }),
    ),
    api(
      '/bridges/{bridgeId}/addChannel',
      'Add a channel to a bridge',
      op(
        'POST',
        'addChannel',
        'void',
        'Add a channel to a bridge.',
        [
          BR,
          query('channel', 'Ids of the channels to add.', { required: true, multi: true }),
          query('role', 'Role of the channels in the bridge.'),
          query('absorbDTMF', 'Keep DTMF from these channels out of the bridge.', { type: 'boolean', def: false }),
          query('mute', 'Keep audio from these channels out of the bridge.', { type: 'boolean', def: false }),
          query('inhibitConnectedLineUpdates', 'Do not send connected line updates for these channels.', {
            type: 'boolean',
            def: false,
          }),
        ],
        [
          [400, 'Channel not found'],
          NOT_FOUND,
          [409, "Bridge not in Stasis application; Channel currently recording"],
          [422, 'Channel not in Stasis application'],
        ],
        S12,
      ),
    ),
    api(
      '/bridges/{bridgeId}/removeChannel',
      'Remove a channel from a bridge',
      op(
        'POST',
        'removeChannel',
        'void',
        'Remove a channel from a bridge.',
        [BR, query('channel', 'Ids of the channels to remove.', { required: true, multi: true })],
        [[400, 'Channel not found'], NOT_FOUND, NOT_IN_APP, [422, 'Channel not in this bridge']],
        S12,
      ),
    ),
    api(
      '/bridges/{bridgeId}/videoSource/{channelId}',
      'Set the video source of a bridge',
      op(
        'POST',
        'setVideoSource',
        'void',
        'Set a channel as the video source in a multi-party mixing bridge.',
        [BR, pathParam('channelId', "Channel's id")],
        [[404, 'Bridge or Channel not found'], [409, 'Channel not in Stasis application'], [422, 'Channel not in this Bridge']],
      ),
    ),
    api(
      '/bridges/{bridgeId}/videoSource',
      'Remove the video source of a bridge',
      op(
        'DELETE',
        'clearVideoSource',
        'void',
        'Removes any explicit video source in a multi-party mixing bridge.',
        [BR],
        [NOT_FOUND],
        { notes: 'The bridge goes back to picking the video source from who is talking.' },
      ),
    ),
    api(
      '/bridges/{bridgeId}/moh',
      'Play music on hold to a bridge',
      op(
        'POST',
        'startMoh',
        'void',
        'Play music on hold to a bridge or change the MOH class that is playing.',
        [BR, query('mohClass', 'Music on hold class.')],
        [NOT_FOUND, NOT_IN_APP],
        S12,
      ),
      op('DELETE', 'stopMoh', 'void', 'Stop playing music on hold to a bridge.', [BR], [NOT_FOUND, NOT_IN_APP], {
        ...S12,
        notes: 'Only stops music on hold started on this bridge.',
      }),
    ),
    api(
      '/bridges/{bridgeId}/play',
      'Play media to the participants of a bridge',
      op(
        'POST',
        'play',
        'Playback',
        'Start playback of media on a bridge.',
        [BR, ...playParams(true)],
        [NOT_FOUND, NOT_IN_APP],
        { ...S12, notes: 'Creates a playback resource that can be controlled through /playbacks.' },
      ),
    ),
    api(
      '/bridges/{bridgeId}/play/{playbackId}',
      'Play media to a bridge',
      op(
        'POST',
        'playWithId',
        'Playback',
        'Start playback of media on a bridge.',
        [BR, pathParam('playbackId', 'Playback ID.'), ...playParams(false)],
        [NOT_FOUND, NOT_IN_APP],
        { since: ['12.3.0'], notes: 'Creates a playback resource that can be controlled through /playbacks.' },
      ),
    ),
    api(
      '/bridges/{bridgeId}/record',
      'Record audio on a bridge',
      op(
        'POST',
        'record',
        'LiveRecording',
        'Start a recording.',
        [BR, ...recordParams()],
        [
          [400, 'Invalid parameters'],
          NOT_FOUND,
          [409, 'Bridge not in a Stasis application, or a recording of that name exists and may not be replaced'],
          [422, 'The format specified is unknown on this system'],
        ],
        { ...S12, notes: 'Records the mixed audio of all channels in the bridge.' },
      ),
    ),
    // Bridge variables came with the channel /variables paths; nicknames mirror the channel ones.
    api(
      '/bridges/{bridgeId}/variable',
      'Variables on a bridge',
      op(
        'GET',
        'getBridgeVar',
        'Variable',
        'Get the value of a bridge variable.',
        [BR, query('variable', 'Variable to read.', { required: true })],
        [[400, 'Missing variable parameter.'], [404, 'Bridge or variable not found']],
      ),
      op(
        'POST',
        'setBridgeVar',
        'void',
        'Set the value of a bridge variable.',
        [
          BR,
          query('variable', 'Variable to set.', { required: true }),
          query('value', 'Value to set.'),
          query('report_events', 'Also include the variable in events about this bridge.', { type: 'boolean' }),
        ],
        [[400, 'Missing variable parameter.'], NOT_FOUND],
      ),
    ),
    api(
      '/bridges/{bridgeId}/variables',
      'Several variables on a bridge at once',
      op(
        'GET',
        'getBridgeVars',
        'Variables',
        'Get the values of several bridge variables.',
        [BR, query('variables', 'Comma separated variable names.', { required: true, multi: true })],
        [[400, 'Missing variables parameter.'], [404, 'Bridge or variable not found']],
      ),
      op(
        'POST',
        'setBridgeVars',
        'void',
        'Set several bridge variables.',
        [
          BR,
          variablesBody('bridge'),
          query('report_events', 'Also include the variables in events about this bridge.', { type: 'boolean' }),
        ],
        [[400, 'Missing variables.'], NOT_FOUND],
      ),
    ),
  ],
  models: models(
    model('Bridge', 'The merging of media from one or more channels; everyone in it hears the same mix.', {
      id: req('string', 'Unique id of the bridge'),
      technology: req('string', 'Bridging technology in use'),
      bridge_type: req('string', 'Type of bridge technology', ['mixing', 'holding']),
      bridge_class: req('string', 'Bridging class'),
      creator: req('string', 'Who created the bridge'),
      name: req('string', 'Name the creator gave the bridge'),
      channels: req('List[string]', 'Ids of the channels in the bridge'),
      video_mode: opt('string', 'How the video source is chosen: none, talker, sfu or single'),
      video_source_id: opt('string', 'Id of the channel that is the video source, if one is set'),
      creationtime: req('Date', 'When the bridge was created'),
    }),
  ),
};
