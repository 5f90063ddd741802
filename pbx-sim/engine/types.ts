// Wire shapes of ARI objects, as Asterisk 22 serialises them.
export interface CallerId { name: string; number: string }
export interface DialplanCep { context: string; exten: string; priority: number; app_name: string; app_data: string }
export interface ChannelJson {
  id: string; name: string; state: string; protocol_id: string;
  caller: CallerId; connected: CallerId; accountcode: string; dialplan: DialplanCep;
  creationtime: string; language: string; channelvars?: Record<string, string>;
}
export interface BridgeJson {
  id: string; technology: string; bridge_type: string; bridge_class: string; creator: string; name: string;
  channels: string[]; creationtime: string; video_mode?: string;
}
export interface PlaybackJson {
  id: string; media_uri: string; next_media_uri?: string; target_uri: string; language: string; state: string;
}
export interface LiveRecordingJson {
  name: string; format: string; state: string; target_uri: string;
  duration?: number; talking_duration?: number; silence_duration?: number; cause?: string;
}
export type AriEvent = { type: string; [k: string]: unknown };

/** An error answered over REST exactly as Asterisk words it. */
export class AriError extends Error {
  constructor(public readonly status: number, message: string, public readonly key: 'message' | 'error' = 'message') {
    super(message);
  }
  body(): Record<string, string> { return { [this.key]: this.message }; }
}

export const notFound = (what: string) => new AriError(404, what);
