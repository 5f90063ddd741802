// playbacks.json: control of media playbacks.
import { api, model, models, op, opt, pathParam, query, req, type Resource } from './build.js';

const PB = pathParam('playbackId', "Playback's id");
const NOT_FOUND: [number, string] = [404, 'Playback not found'];
const S12 = { since: ['12.0.0'] };

export const playbacks: Resource = {
  name: 'playbacks',
  listingDescription: 'Playback control resources',
  swaggerVersion: '1.1',
  since: ['12.0.0'],
  requiresModules: ['res_stasis_playback'],
  apis: [
    api(
      '/playbacks/{playbackId}',
      'Control object for a playback operation.',
      op('GET', 'get', 'Playback', "Get a playback's details.", [PB], [NOT_FOUND], S12),
      op('DELETE', 'stop', 'void', 'Stop a playback.', [PB], [NOT_FOUND], S12),
    ),
    api(
      '/playbacks/{playbackId}/control',
      'Control object for a playback operation.',
      op(
        'POST',
        'control',
        'void',
        'Control a playback.',
        [
          PB,
          query('operation', 'Operation to perform on the playback.', {
            required: true,
            values: ['restart', 'pause', 'unpause', 'reverse', 'forward'],
          }),
        ],
        [[400, 'Unknown or missing operation'], NOT_FOUND, [409, 'Operation not possible in the current playback state']],
        S12,
      ),
    ),
  ],
  models: models(
    model('Playback', 'Media being played to a channel or bridge', {
      id: req('string', 'Id of this playback'),
      media_uri: req('string', 'URI of the media being played'),
      next_media_uri: opt('string', 'URI of the media that plays next in a list'),
      target_uri: req('string', 'URI of the channel or bridge playing the media'),
      language: opt('string', 'Language asked for'),
      state: req('string', 'Current state of the playback', ['queued', 'playing', 'paused', 'continuing', 'done', 'failed']),
    }),
  ),
};
