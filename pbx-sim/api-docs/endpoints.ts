// endpoints.json: endpoints (PJSIP/8001...) and out-of-call messages/refers.
import { api, body, model, models, op, opt, pathParam, query, req, type Resource } from './build.js';

const TECH = pathParam('tech', 'Technology, e.g. PJSIP');
const RES = pathParam('resource', 'ID of the endpoint');
const VARS = body('variables', 'The "variables" key of the JSON body holds extra key/value pairs (e.g. SIP headers).');
const S12 = { since: ['12.0.0'] };
const S125 = { since: ['12.5.0'] };
const TO_SELF = query('to_self', 'Whether the refer may point back at the sender.', { type: 'boolean', def: false });

export const endpoints: Resource = {
  name: 'endpoints',
  listingDescription: 'Endpoint resources',
  swaggerVersion: '1.1',
  since: ['12.0.0'],
  apis: [
    api('/endpoints', 'Asterisk endpoints', op('GET', 'list', 'List[Endpoint]', 'List all endpoints.', [], [], S12)),
    api(
      '/endpoints/sendMessage',
      'Send a message to some technology URI or endpoint.',
      op(
        'PUT',
        'sendMessage',
        'void',
        'Send a message to some technology URI or endpoint.',
        [
          query('to', 'Technology URI or endpoint to send to, e.g. pjsip:8001.', { required: true }),
          query('from', 'Identity the message is sent from.', { required: true }),
          query('body', 'Message text'),
          VARS,
        ],
        [[400, 'Invalid parameters for sending a message.'], [404, 'Endpoint not found']],
        S125,
      ),
    ),
    api(
      '/endpoints/refer',
      'Refer an endpoint or technology URI to some technology URI or endpoint.',
      op(
        'POST',
        'refer',
        'void',
        'Refer an endpoint or technology URI to some technology URI or endpoint.',
        [
          query('to', 'Technology URI or endpoint that gets the refer.', { required: true }),
          query('from', 'Endpoint or identity the refer is sent from.', { required: true }),
          query('refer_to', 'Where the receiver is referred to.', { required: true }),
          TO_SELF,
          VARS,
        ],
        [[400, 'Invalid parameters for referring.'], [404, 'Endpoint not found']],
      ),
    ),
    api(
      '/endpoints/{tech}',
      'Asterisk endpoints',
      op('GET', 'listByTech', 'List[Endpoint]', 'List endpoints of one technology.', [TECH], [[404, 'Endpoints not found']], S12),
    ),
    api(
      '/endpoints/{tech}/{resource}',
      'Single endpoint',
      op('GET', 'get', 'Endpoint', 'Details for an endpoint.', [TECH, RES], [[400, 'Invalid parameters for sending a message.'], [404, 'Endpoints not found']], S12),
    ),
    api(
      '/endpoints/{tech}/{resource}/sendMessage',
      'Send a message to some endpoint in a technology.',
      op(
        'PUT',
        'sendMessageToEndpoint',
        'void',
        'Send a message to some endpoint in a technology.',
        [TECH, RES, query('from', 'Identity the message is sent from.', { required: true }), query('body', 'Message text'), VARS],
        [[400, 'Invalid parameters for sending a message.'], [404, 'Endpoint not found']],
        S125,
      ),
    ),
    api(
      '/endpoints/{tech}/{resource}/refer',
      'Refer an endpoint in a technology to some technology URI or endpoint.',
      op(
        'POST',
        'referToEndpoint',
        'void',
        'Refer an endpoint or technology URI to some technology URI or endpoint.',
        [TECH, RES, query('from', 'Endpoint or identity the refer is sent from.', { required: true }), query('refer_to', 'Where the receiver is referred to.', { required: true }), TO_SELF, VARS],
        [[400, 'Invalid parameters for referring.'], [404, 'Endpoint not found']],
      ),
    ),
  ],
  models: models(
    model('Endpoint', 'A device or peer that can place or take calls.', {
      technology: req('string', 'Technology, e.g. PJSIP'),
      resource: req('string', 'Name of the endpoint within its technology'),
      state: opt('string', 'Endpoint state', ['unknown', 'offline', 'online']),
      channel_ids: req('List[string]', 'Ids of the channels of this endpoint'),
    }),
    model('TextMessage', 'A text message.', {
      from: req('string', 'Source URI'),
      to: req('string', 'Destination URI'),
      body: req('string', 'Message text'),
      variables: opt('object', 'Technology specific key/value pairs'),
    }),
  ),
};
