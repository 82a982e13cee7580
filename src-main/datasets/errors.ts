/** Typed dataset errors; `message` is user-facing (what, where, what to do). */
export type DatasetErrorCode =
  | 'not_found' // HTTP 404/410
  | 'http_error' // other non-retryable HTTP status
  | 'network' // retries exhausted
  | 'disk_full' // not enough free space (checked before starting)
  | 'checksum_mismatch' // downloaded bytes do not match the published checksum (the .part is deleted)
  | 'size_mismatch'
  | 'corrupt_archive'
  | 'unsafe_archive'
  | 'aborted'
  | 'unknown_dataset'
  | 'missing_file';

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}
