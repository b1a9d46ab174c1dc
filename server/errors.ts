// Errors an operation may raise on purpose; anything else is a bug and becomes a 500.
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNSUPPORTED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

const statusOf: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return statusOf[this.code];
  }
}

export const invalid = (message: string, details?: unknown) => new AppError('INVALID_INPUT', message, details);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = 'sign in or pass an API token (Authorization: Bearer …)') =>
  new AppError('UNAUTHENTICATED', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const busUnavailable = () => new AppError('UNAVAILABLE', 'the message bus (NATS) is unreachable; retry shortly');
/** 429; the answer carries `Retry-After: retryAfterSeconds`. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });

/** Seconds a client should wait before retrying, when the error says so. */
export function retryAfterOf(error: AppError): number | null {
  const d = error.details as { retryAfterSeconds?: unknown } | undefined;
  return typeof d?.retryAfterSeconds === 'number' ? d.retryAfterSeconds : null;
}

/**
 * Next.js bundles route handlers apart from the server process's own modules, so an AppError thrown by
 * a service created in server/main.ts is another class than the route's: recognise it by shape.
 */
export function isAppError(error: unknown): error is AppError {
  if (error instanceof AppError) return true;
  const e = error as { name?: unknown; code?: unknown } | null;
  return !!e && e.name === 'AppError' && typeof e.code === 'string' && e.code in statusOf;
}

export function statusOfError(error: AppError): number {
  return statusOf[error.code];
}

/**
 * The failures of what Ferry stands on, named for the caller: a value PostgreSQL cannot store in its
 * column (a NUL byte, a malformed id) is the caller's 400, and an unreachable database or bus is a 503
 * to retry, not a 500. Drizzle wraps driver errors, so the whole cause chain is read.
 */
export function infrastructureError(error: unknown): AppError | null {
  for (let e = error as ErrorLike | undefined, depth = 0; e && depth < 5; e = e.cause as ErrorLike | undefined, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (/^22[0-9A-Z]{3}$/.test(code)) return invalid(`a value in the request does not fit its field: ${e.message ?? code}`);
    if (/^(08|57P0)/.test(code) || DB_DOWN.test(e.message ?? ''))
      return new AppError('UNAVAILABLE', 'the database is unreachable; retry shortly');
    if (NATS_DOWN.has(code) || /^nats: connection/i.test(e.message ?? '')) return busUnavailable();
  }
  return null;
}

interface ErrorLike {
  code?: unknown;
  message?: string;
  cause?: unknown;
}

const DB_DOWN = /ECONNREFUSED .*:5432|Connection terminated|connection (is )?(closed|ended)|terminating connection/i;
const NATS_DOWN = new Set(['BUS_UNAVAILABLE', 'CONNECTION_CLOSED', 'CONNECTION_DRAINING', 'DISCONNECT', 'CONNECTION_REFUSED']);
