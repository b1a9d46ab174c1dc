import { AppError, infrastructureError, isAppError, statusOfError } from '../errors';

// MLflow's error shape: {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"} with its status codes.

export function mlflowError(error: unknown): { status: number; body: { error_code: string; message: string } } | null {
  if (!isAppError(error)) {
    const known = infrastructureError(error);
    return known ? mlflowError(known) : null;
  }
  const status = statusOfError(error);
  const code = codeOf(error, status);
  // MLflow answers duplicates and invalid states with 400, not 409.
  return { status: status === 409 || status === 413 || status === 422 ? 400 : status, body: { error_code: code, message: error.message } };
}

function codeOf(error: AppError, status: number): string {
  if (status === 404) return 'RESOURCE_DOES_NOT_EXIST';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 409) return /already exists/.test(error.message) ? 'RESOURCE_ALREADY_EXISTS' : 'INVALID_STATE';
  if (status === 429) return 'REQUEST_LIMIT_EXCEEDED';
  if (status === 503) return 'TEMPORARILY_UNAVAILABLE';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'INVALID_PARAMETER_VALUE';
}
