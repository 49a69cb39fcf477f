/**
 * Every refusal of the app is one JSON shape, with a stable code for the
 * page and a sentence it can show as it is:
 *
 *   HTTP/1.1 409 Conflict
 *   {"error":{"code":"port_in_use","message":"port 12345 is in use by another program; ..."}}
 *
 * Handlers throw (or reject with) an ApiError; Express 5 passes a rejected
 * promise of an async handler to the error middleware below, which also
 * turns the body parsers' errors (bad JSON, a body over the limit) into
 * the same shape.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';

export type ApiErrorCode =
  | 'bad_host'
  | 'bad_origin'
  | 'bad_token'
  | 'not_found'
  | 'bad_json'
  | 'too_large'
  | 'bad_content_type'
  | 'unknown_field'
  | 'bad_request'
  | 'unknown_machine'
  | 'unknown_option'
  | 'bad_option'
  | 'not_loopback'
  | 'port_in_use'
  | 'listen_failed'
  | 'too_many_runs'
  | 'not_external'
  | 'run_ended'
  | 'bad_records'
  | 'internal';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** The field or option the problem is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): { error: { code: ApiErrorCode; message: string; field?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) } };
  }
}

/** The body parsers' errors (body-parser 2, `err.type`) in plain words. */
function fromBodyParser(error: { type?: unknown; status?: unknown; limit?: unknown; message?: unknown }): ApiError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'bad_json', `the request body is not valid JSON (${String(error.message)})`);
    case 'entity.too.large':
      return new ApiError(413, 'too_large', `the request body is over the limit of ${String(error.limit)} bytes`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ApiError(415, 'bad_content_type', `the request body cannot be read: ${String(error.message)}`);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new ApiError(400, 'bad_request', `the request body could not be read: ${String(error.message)}`);
    default:
      return null;
  }
}

/** Any error as an ApiError; one we did not expect becomes `internal` (500), its message kept. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const parsed = typeof error === 'object' && error !== null ? fromBodyParser(error as { type?: unknown }) : null;
  if (parsed !== null) return parsed;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(500, 'internal', `the app failed to answer this request: ${message}`);
}

/** The last middleware: every error as `{ error: { code, message } }`. */
export const jsonErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    // A stream that failed mid-way: all we can do is end it.
    next(error);
    return;
  }
  const apiError = asApiError(error);
  res.status(apiError.status).json(apiError.toJSON());
};

/** Anything no route answered, as JSON. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `there is nothing at ${req.method} ${req.originalUrl.split('?')[0]}`));
};
