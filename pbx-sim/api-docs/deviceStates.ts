// deviceStates.json: device states, of which Stasis: devices are controlled by ARI.
import { api, model, models, op, pathParam, query, req, type Resource } from './build.js';

const DEV = pathParam('deviceName', 'Name of the device');
const STATES = ['UNKNOWN', 'NOT_INUSE', 'INUSE', 'BUSY', 'INVALID', 'UNAVAILABLE', 'RINGING', 'RINGINUSE', 'ONHOLD'];
const S = { since: ['12.5.0'] };

export const deviceStates: Resource = {
  name: 'deviceStates',
  listingDescription: 'Device state resources',
  swaggerVersion: '1.1',
  since: ['12.5.0'],
  requiresModules: ['res_stasis_device_state'],
  apis: [
    api('/deviceStates', 'Device states', op('GET', 'list', 'List[DeviceState]', 'List all ARI controlled device states.', [], [], S)),
    api(
      '/deviceStates/{deviceName}',
      'Device state',
      op('GET', 'get', 'DeviceState', 'Get the state of a device.', [DEV], [], S),
      op(
        'PUT',
        'update',
        'void',
        'Set the state of an ARI controlled device, creating it if needed.',
        [DEV, query('deviceState', 'State to set', { required: true, values: STATES.slice(1) })],
        [[404, 'Device name is missing'], [409, 'Uncontrolled device specified']],
        S,
      ),
      op(
        'DELETE',
        'delete',
        'void',
        'Remove an ARI controlled device state.',
        [DEV],
        [[404, 'Device name is missing'], [409, 'Uncontrolled device specified']],
        S,
      ),
    ),
  ],
  models: models(
    model('DeviceState', 'State of a device.', {
      name: req('string', 'Device name, e.g. Stasis:agent-1 or PJSIP/8001.'),
      state: req('string', 'Current state.', STATES),
    }),
  ),
};
