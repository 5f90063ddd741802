// asterisk.json: system information, modules, logging, dynamic config and global variables.
import { api, body, model, models, op, opt, pathParam, query, req, type Resource } from './build.js';

const CONFIG_PATH = [
  pathParam('configClass', 'Configuration class, e.g. res_pjsip.'),
  pathParam('objectType', 'Object type inside the class, e.g. endpoint.'),
  pathParam('id', 'Id of the object.'),
];
const MODULE = pathParam('moduleName', "Module's name");
const LOG = pathParam('logChannelName', 'Log channel name');
const S12 = { since: ['12.0.0'] };
const S135 = { since: ['13.5.0'] };
const S136 = { since: ['13.6.0'] };

export const asterisk: Resource = {
  name: 'asterisk',
  listingDescription: 'Asterisk resources',
  swaggerVersion: '1.1',
  since: ['12.0.0'],
  apis: [
    api(
      '/asterisk/config/dynamic/{configClass}/{objectType}/{id}',
      'Asterisk dynamic configuration',
      op('GET', 'getObject', 'List[ConfigTuple]', 'Retrieve a dynamic configuration object.', CONFIG_PATH, [[404, '{configClass|objectType|id} not found']], S135),
      op(
        'PUT',
        'updateObject',
        'List[ConfigTuple]',
        'Create or update a dynamic configuration object.',
        [...CONFIG_PATH, body('fields', 'The "fields" key of the JSON body holds a list of {attribute, value} tuples.')],
        [[400, 'Bad request body'], [403, 'Could not create or update object'], [404, '{configClass|objectType} not found']],
        S135,
      ),
      op(
        'DELETE',
        'deleteObject',
        'void',
        'Delete a dynamic configuration object.',
        CONFIG_PATH,
        [[403, 'Could not delete object'], [404, '{configClass|objectType|id} not found']],
        S135,
      ),
    ),
    api(
      '/asterisk/info',
      'Asterisk system information (similar to core show settings)',
      op(
        'GET',
        'getInfo',
        'AsteriskInfo',
        'Get information about this Asterisk.',
        [query('only', 'Only return these parts.', { multi: true, values: ['build', 'system', 'config', 'status'] })],
        [],
        S12,
      ),
    ),
    api('/asterisk/ping', 'Asterisk ping', op('GET', 'ping', 'AsteriskPing', 'Ping Asterisk.', [], [], { since: ['13.25.0', '16.2.0'] })),
    api('/asterisk/modules', 'Asterisk modules', op('GET', 'listModules', 'List[Module]', 'List Asterisk modules.', [], [], S135)),
    api(
      '/asterisk/modules/{moduleName}',
      'Asterisk module',
      op('GET', 'getModule', 'Module', 'Get Asterisk module information.', [MODULE], [[404, 'Module could not be found in running modules.'], [409, 'Module information could not be retrieved.']], S135),
      op('POST', 'loadModule', 'void', 'Load an Asterisk module.', [MODULE], [[409, 'Module could not be loaded.']], S135),
      op('DELETE', 'unloadModule', 'void', 'Unload an Asterisk module.', [MODULE], [[404, 'Module not found in running modules.'], [409, 'Module could not be unloaded.']], S135),
      op('PUT', 'reloadModule', 'void', 'Reload an Asterisk module.', [MODULE], [[404, 'Module not found in running modules.'], [409, 'Module could not be reloaded.']], S135),
    ),
    api('/asterisk/logging', 'Asterisk log channels', op('GET', 'listLogChannels', 'List[LogChannel]', 'List log channels.', [], [], S136)),
    api(
      '/asterisk/logging/{logChannelName}',
      'Asterisk log channel',
      op(
        'POST',
        'addLog',
        'void',
        'Adds a log channel.',
        [LOG, query('configuration', 'Log levels for the new channel, e.g. "notice,warning,error".', { required: true })],
        [[400, 'Bad request body'], [409, 'Log channel could not be created.']],
        S136,
      ),
      op('DELETE', 'deleteLog', 'void', 'Deletes a log channel.', [LOG], [[404, 'Log channel does not exist.']], S136),
    ),
    api(
      '/asterisk/logging/{logChannelName}/rotate',
      'Asterisk log channel',
      op('PUT', 'rotateLog', 'void', 'Rotates a log channel.', [LOG], [[404, 'Log channel does not exist.']], S136),
    ),
    api(
      '/asterisk/variable',
      'Global variables',
      op('GET', 'getGlobalVar', 'Variable', 'Get the value of a global variable.', [query('variable', 'Variable to read', { required: true })], [[400, 'Missing variable parameter.']], S12),
      op(
        'POST',
        'setGlobalVar',
        'void',
        'Set the value of a global variable.',
        [query('variable', 'Variable to set', { required: true }), query('value', 'Value to set')],
        [[400, 'Missing variable parameter.']],
        S12,
      ),
    ),
  ],
  models: models(
    model('BuildInfo', 'How Asterisk was built', {
      os: req('string', 'Build host operating system.'),
      kernel: req('string', 'Build host kernel version.'),
      options: req('string', 'Compile-time options; empty when default.'),
      machine: req('string', 'Build host architecture, e.g. x86_64.'),
      date: req('string', 'Build date and time.'),
      user: req('string', 'User who ran the build.'),
    }),
    model('SystemInfo', 'Version and identity of this Asterisk', {
      version: req('string', 'Asterisk version string.'),
      entity_id: req('string', 'Entity id (usually a MAC address).'),
    }),
    model('SetId', 'Effective user/group id', {
      user: req('string', 'User Asterisk runs as.'),
      group: req('string', 'Group Asterisk runs as.'),
    }),
    model('ConfigInfo', 'Main configuration settings', {
      name: req('string', 'System name.'),
      default_language: req('string', 'Default language of sounds.'),
      max_channels: opt('int', 'Channel limit.'),
      max_open_files: opt('int', 'Open file limit.'),
      max_load: opt('double', 'Load average limit.'),
      setid: req('SetId', 'User and group Asterisk runs as.'),
    }),
    model('StatusInfo', 'Start and reload times', {
      startup_time: req('Date', 'When Asterisk started.'),
      last_reload_time: req('Date', 'When configuration was last reloaded.'),
    }),
    model('AsteriskInfo', 'Information about this Asterisk', {
      build: opt('BuildInfo', 'How Asterisk was built'),
      system: opt('SystemInfo', 'Version and identity'),
      config: opt('ConfigInfo', 'Main configuration settings'),
      status: opt('StatusInfo', 'Start and reload times'),
    }),
    model('AsteriskPing', 'Reply to a ping', {
      asterisk_id: req('string', 'Id of this Asterisk'),
      ping: req('string', 'Always "pong"'),
      timestamp: req('string', 'When the ping was received'),
    }),
    model('Module', 'A loadable module', {
      name: req('string', 'Module file name'),
      description: req('string', 'What the module does'),
      use_count: req('int', 'How many users the module has'),
      status: req('string', 'Whether it is running'),
      support_level: req('string', 'Support level (core, extended, deprecated)'),
    }),
    model('LogChannel', 'A logger output', {
      channel: req('string', 'Where the log goes'),
      type: req('string', 'Kind of log channel'),
      status: req('string', 'Enabled or disabled'),
      configuration: req('string', 'Levels it logs'),
    }),
    model('Variable', 'Value of a variable', {
      value: req('string', 'The value'),
    }),
    model('ConfigTuple', 'One attribute of a configuration object.', {
      attribute: req('string', 'Attribute name.'),
      value: req('string', 'Attribute value.'),
    }),
  ),
};
