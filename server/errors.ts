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
