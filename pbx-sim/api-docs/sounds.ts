// sounds.json: the sound files Asterisk can play.
import { api, model, models, op, opt, pathParam, query, req, type Resource } from './build.js';

const S12 = { since: ['12.0.0'] };

export const sounds: Resource = {
  name: 'sounds',
  listingDescription: 'Sound resources',
  swaggerVersion: '1.1',
  since: ['12.0.0'],
  apis: [
    api(
      '/sounds',
      'Sounds',
      op(
        'GET',
        'list',
        'List[Sound]',
        'List all sounds.',
        [query('lang', 'Only sounds in this language.'), query('format', 'Only sounds in this format.')],
        [],
        S12,
      ),
    ),
    api(
      '/sounds/{soundId}',
      'Individual sound',
      op('GET', 'get', 'Sound', "Get a sound's details.", [pathParam('soundId', "Sound's id")], [[404, 'Sound not found']], S12),
    ),
  ],
  models: models(
    model('FormatLangPair', 'A language and format a sound is available in.', {
      language: req('string'),
      format: req('string'),
    }),
    model('Sound', 'A sound file Asterisk can play.', {
      id: req('string', 'Sound id, as used in sound: URIs'),
      text: opt('string', 'Text of the sound, if known'),
      formats: req('List[FormatLangPair]', 'Formats and languages the sound exists in.'),
    }),
  ),
};
