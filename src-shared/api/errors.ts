/** Error codes every call may answer with. The UI shows `message`; `code` drives behaviour. */
export type ApiErrorCode =
  'bad_input' | 'not_found' | 'conflict' | 'unavailable' | 'cancelled' | 'io_error' | 'internal';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** Field-level problems for bad_input, e.g. [{ path: 'score', message: 'Score must be between 0 and 100' }]. */
  issues?: Array<{ path: string; message: string }>;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues?: ApiErrorBody['issues'];
  constructor(code: ApiErrorCode, message: string, issues?: ApiErrorBody['issues']) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues);
  }
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };
