// Pieces several resource files share: channel id/errors, and play, record and originate parameters.
import { op, pathParam, query, body, type Operation, type Param } from './build.js';

export const SINCE_12 = { since: ['12.0.0'] };
export const CHANNEL_ID = pathParam('channelId', "Channel's id");
export const CH_NOT_FOUND: [number, string] = [404, 'Channel not found'];
export const CH_NOT_IN_APP: [number, string] = [409, 'Channel not in a Stasis application'];
export const CH_BAD_STATE: [number, string] = [412, 'Channel in invalid state'];
/** Errors of the channel control operations. */
export const CH_CONTROL = [CH_NOT_FOUND, CH_NOT_IN_APP, CH_BAD_STATE];

/** A /channels/{channelId}/<sub> operation that only needs the channel id. */
export function channelSimple(method: 'POST' | 'DELETE', nickname: string, summary: string): Operation {
  return op(method, nickname, 'void', summary, [CHANNEL_ID], CH_CONTROL, SINCE_12);
}

export const variablesBody = (what: string): Param =>
  body('variables', `The "variables" key of the JSON body holds key/value pairs to set on the ${what}.`);

/** media, lang, offsetms, skipms (+ playbackId for the variant without an id in the path). */
export function playParams(withPlaybackIdQuery: boolean): Param[] {
  const p = [
    query('media', 'Media URIs to play (sound:, recording:, number:, digits:, characters:, tone:).', {
      required: true,
      multi: true,
    }),
    query('lang', 'Language to pick sounds in.'),
    query('offsetms', 'Milliseconds to skip before playing; applies to the first URI only.', { type: 'int' }),
    query('skipms', 'Milliseconds to move for forward/reverse control.', { type: 'int', def: 3000 }),
  ];
  if (withPlaybackIdQuery) p.push(query('playbackId', 'Id to give the playback.'));
  return p;
}

export function recordParams(): Param[] {
  return [
    query('name', 'Name of the recording (file name without extension).', { required: true }),
    query('format', 'Audio format to record in (e.g. wav).', { required: true }),
    query('maxDurationSeconds', 'Stop after this many seconds; 0 means no limit.', { type: 'int', def: 0, min: 0 }),
    query('maxSilenceSeconds', 'Stop after this many seconds of silence; 0 means no limit.', {
      type: 'int',
      def: 0,
      min: 0,
    }),
    query('ifExists', 'What to do when a recording of this name exists.', {
      def: 'fail',
      values: ['fail', 'overwrite', 'append'],
    }),
    query('beep', 'Play a beep before recording starts.', { type: 'boolean', def: false }),
    query('terminateOn', 'DTMF that ends the recording.', { def: 'none', values: ['none', 'any', '*', '#'] }),
  ];
}

/** Query parameters common to originate and originateWithId (channelId handled by the caller). */
export function originateParams(): Param[] {
  return [
    query('endpoint', 'Endpoint to call (e.g. PJSIP/8001).', { required: true }),
    query('extension', "Extension to run once answered. Not with 'app'."),
    query('context', "Context to run once answered; 'default' if omitted. Not with 'app'."),
    query('priority', "Priority to run once answered; 1 if omitted. Not with 'app'.", { type: 'long' }),
    query('label', "Label to run once answered; wins over 'priority'. Not with 'app'."),
    query('app', 'Stasis application that gets the channel once answered. Not with the dialplan location.'),
    query('appArgs', "Arguments for the Stasis application in 'app'."),
    query('callerId', 'Caller ID to present when dialing.'),
    query('timeout', 'Seconds to wait for an answer; -1 waits forever.', { type: 'int', def: 30 }),
    variablesBody('new channel'),
  ];
}

export function originateTail(): Param[] {
  return [
    query('otherChannelId', 'Id for the second channel when a Local channel is created.'),
    query('originator', 'Id of the channel that causes this one to be created.'),
    query('formats', 'Format names to offer when no originator is given, e.g. "ulaw,slin16".'),
  ];
}
