// mailboxes.json: mailboxes controlled by ARI.
import { api, model, models, op, pathParam, query, req, type Resource } from './build.js';

const MB = pathParam('mailboxName', 'Name of the mailbox');
const NOT_FOUND: [number, string] = [404, 'Mailbox not found'];
const S = { since: ['12.1.0'] };

export const mailboxes: Resource = {
  name: 'mailboxes',
  listingDescription: 'Mailboxes resources',
  swaggerVersion: '1.1',
  since: ['12.1.0'],
  requiresModules: ['res_stasis_mailbox'],
  apis: [
    api('/mailboxes', 'Mailboxes', op('GET', 'list', 'List[Mailbox]', 'List all mailboxes.', [], [], S)),
    api(
      '/mailboxes/{mailboxName}',
      'Mailbox state',
      op('GET', 'get', 'Mailbox', 'Get the state of a mailbox.', [MB], [NOT_FOUND], S),
      op(
        'PUT',
        'update',
        'void',
        'Set the message counts of a mailbox, creating it if needed.',
        [
          MB,
          query('oldMessages', 'Number of old messages', { required: true, type: 'int' }),
          query('newMessages', 'Number of new messages', { required: true, type: 'int' }),
        ],
        [NOT_FOUND],
        S,
      ),
      op('DELETE', 'delete', 'void', 'Destroy a mailbox.', [MB], [NOT_FOUND], S),
    ),
  ],
  models: models(
    model('Mailbox', 'Message counts of a mailbox.', {
      name: req('string', 'Mailbox name.'),
      old_messages: req('int', 'Number of old messages.'),
      new_messages: req('int', 'Number of new messages.'),
    }),
  ),
};
