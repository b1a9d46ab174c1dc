import { invalid } from '../../errors';

// Keyset pagination: the token is the sort key of the last row of a page (opaque base64url JSON), so
// a deep page costs what the first does, unlike OFFSET.

export function encodePageToken(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodePageToken<T extends unknown[]>(token: string | undefined | null): T | null {
  if (!token) return null;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(value)) throw new Error('not a list');
    return value as T;
  } catch {
    throw invalid('page_token is not a token this server issued');
  }
}
