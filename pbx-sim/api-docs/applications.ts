// applications.json: Stasis applications and their subscriptions.
import { api, body, model, models, op, pathParam, query, req, type Resource } from './build.js';

const APP = pathParam('applicationName', "Application's name");
const NOT_FOUND: [number, string] = [404, 'Application does not exist.'];
const S13 = { since: ['13.0.0'] };
const SOURCE = 'Event source URIs: channel:{channelId}, bridge:{bridgeId}, endpoint:{tech}[/{resource}], deviceState:{deviceName}';

export const applications: Resource = {
  name: 'applications',
  listingDescription: 'Stasis application resources',
  swaggerVersion: '1.1',
  since: ['13.0.0'],
  apis: [
    api('/applications', 'Stasis applications', op('GET', 'list', 'List[Application]', 'List all applications.', [], [], S13)),
    api(
      '/applications/{applicationName}',
      'Stasis application',
      op('GET', 'get', 'Application', 'Get details of an application.', [APP], [NOT_FOUND], S13),
    ),
    api(
      '/applications/{applicationName}/subscription',
      'Stasis application',
      op(
        'POST',
        'subscribe',
        'Application',
        'Subscribe an application to event sources.',
        [APP, query('eventSource', SOURCE, { required: true, multi: true })],
        [[400, 'Missing parameter.'], NOT_FOUND, [422, 'Event source does not exist.']],
        { ...S13, notes: 'Returns the application after the change.' },
      ),
      op(
        'DELETE',
        'unsubscribe',
        'Application',
        'Unsubscribe an application from event sources.',
        [APP, query('eventSource', SOURCE, { required: true, multi: true })],
        [
          [400, 'Missing parameter; event source scheme not recognized.'],
          NOT_FOUND,
          [409, 'Application not subscribed to event source.'],
          [422, 'Event source does not exist.'],
        ],
        { ...S13, notes: 'Returns the application after the change.' },
      ),
    ),
    api(
      '/applications/{applicationName}/eventFilter',
      'Stasis application',
      op(
        'PUT',
        'filter',
        'Application',
        'Set which event types an application gets.',
        [
          APP,
          body('filter', 'JSON body with "allowed" and/or "disallowed" lists of {"type": EventType} objects.', 'object'),
        ],
        [[400, 'Bad request.'], NOT_FOUND],
        { since: ['13.26.0', '16.3.0'], notes: 'An empty body clears the filter.' },
      ),
    ),
  ],
  models: models(
    model('Application', 'A Stasis application and what it is subscribed to', {
      name: req('string', 'Name of this application'),
      channel_ids: req('List[string]', 'Ids of the channels subscribed to.'),
      bridge_ids: req('List[string]', 'Ids of the bridges subscribed to.'),
      endpoint_ids: req('List[string]', '{tech}/{resource} of the endpoints subscribed to.'),
      device_names: req('List[string]', 'Names of the devices subscribed to.'),
      events_allowed: req('List[object]', 'Event types sent to the application.'),
      events_disallowed: req('List[object]', 'Event types not sent to the application.'),
    }),
  ),
};
