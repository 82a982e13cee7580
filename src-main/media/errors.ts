/** Typed errors of the media services. `message` is user-facing: it says what went wrong and where. */
export type MediaErrorCode =
  | 'missing'
  | 'empty'
  | 'not_video'
  | 'corrupt'
  | 'no_video_stream'
  | 'unsupported_codec'
  | 'too_short'
  | 'ffmpeg_missing'
  | 'ffmpeg_failed'
  | 'aborted';

export class MediaError extends Error {
  override readonly name = 'MediaError';
  constructor(
    readonly code: MediaErrorCode,
    message: string,
    /** The file the error is about, when there is one. */
    readonly file?: string,
    /** Tool output (stderr tail) useful in logs, never shown as the main message. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function isMediaError(e: unknown): e is MediaError {
  return e instanceof MediaError;
}

export function abortError(what: string): MediaError {
  return new MediaError('aborted', `${what} was cancelled.`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortError(what);
}
