// recordings.json: stored and live recordings.
import { api, model, models, op, opt, pathParam, query, req, type Resource } from './build.js';

const NAME = pathParam('recordingName', "The name of the recording");
const NOT_FOUND: [number, string] = [404, 'Recording not found'];
const NOT_RECORDING: [number, string] = [409, 'Recording not in session'];
const S12 = { since: ['12.0.0'] };

export const recordings: Resource = {
  name: 'recordings',
  listingDescription: 'Recording resources',
  swaggerVersion: '1.1',
  since: ['12.0.0'],
  requiresModules: ['res_stasis_recording'],
  apis: [
    api(
      '/recordings/stored',
      'Recordings',
      op('GET', 'listStored', 'List[StoredRecording]', 'List recordings that are complete.', [], [], S12),
    ),
    api(
      '/recordings/stored/{recordingName}',
      'Individual recording',
      op('GET', 'getStored', 'StoredRecording', "Get a stored recording's details.", [NAME], [NOT_FOUND], S12),
      op('DELETE', 'deleteStored', 'void', 'Delete a stored recording.', [NAME], [NOT_FOUND], S12),
    ),
    api(
      '/recordings/stored/{recordingName}/file',
      'The actual file associated with the stored recording',
      op(
        'GET',
        'getStoredFile',
        'binary',
        'Get the file associated with the stored recording.',
        [NAME],
        [[403, 'The recording file could not be opened'], NOT_FOUND],
        { since: ['14.0.0'] },
      ),
    ),
    api(
      '/recordings/stored/{recordingName}/copy',
      'Copy an individual recording',
      op(
        'POST',
        'copyStored',
        'StoredRecording',
        'Copy a stored recording.',
        [NAME, query('destinationRecordingName', 'Name for the copy.', { required: true })],
        [NOT_FOUND, [409, 'A recording with the same name already exists on the system']],
        { since: ['12.5.0'] },
      ),
    ),
    api(
      '/recordings/live/{recordingName}',
      'A recording being made',
      op('GET', 'getLive', 'LiveRecording', 'List live recordings.', [NAME], [NOT_FOUND], S12),
      op('DELETE', 'cancel', 'void', 'Stop a live recording and discard it.', [NAME], [NOT_FOUND], S12),
    ),
    api(
      '/recordings/live/{recordingName}/stop',
      'Stop a live recording',
      op('POST', 'stop', 'void', 'Stop a live recording and store it.', [NAME], [NOT_FOUND], S12),
    ),
    api(
      '/recordings/live/{recordingName}/pause',
      'Pause a live recording',
      op('POST', 'pause', 'void', 'Pause a live recording.', [NAME], [NOT_FOUND, NOT_RECORDING], {
        ...S12,
        notes: 'The paused time is dropped from the file, not kept as silence.',
      }),
      op('DELETE', 'unpause', 'void', 'Unpause a live recording.', [NAME], [NOT_FOUND, NOT_RECORDING], S12),
    ),
    api(
      '/recordings/live/{recordingName}/mute',
      'Mute a live recording',
      op('POST', 'mute', 'void', 'Mute a live recording.', [NAME], [NOT_FOUND, NOT_RECORDING], {
        ...S12,
        notes: 'Muted time is written to the file as silence.',
      }),
      op('DELETE', 'unmute', 'void', 'Unmute a live recording.', [NAME], [NOT_FOUND, NOT_RECORDING], S12),
    ),
  ],
  models: models(
    model('StoredRecording', 'A finished recording on disk.', {
      name: req('string'),
      format: req('string'),
    }),
    model('LiveRecording', 'A recording being made', {
      name: req('string', 'Base name of the recording'),
      format: req('string', 'Recording format (wav, gsm, etc.)'),
      target_uri: req('string', 'URI of the channel or bridge being recorded'),
      state: req('string', undefined, ['queued', 'recording', 'paused', 'done', 'failed', 'canceled']),
      duration: opt('int', 'Length of the recording in seconds'),
      talking_duration: opt('int', 'Seconds of talking in the recording (needs maxSilenceSeconds).'),
      silence_duration: opt('int', 'Seconds of silence in the recording (needs maxSilenceSeconds).'),
      cause: opt('string', 'Why the recording failed, if it did'),
    }),
  ),
};
