import type { IncomingMessage } from 'node:http';

// The caller's address as the server's socket saw it, handed to route handlers in a header the server
// sets itself (any value a client sent under that name is overwritten), so limits cannot be dodged by
// a forged X-Forwarded-For.
export const CLIENT_ADDRESS_HEADER = 'x-ferry-client-address';

/** Stamps the socket's remote address on the request before Next.js or a route sees it. */
export function stampClientAddress(req: IncomingMessage): void {
  req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';
}

/** The address server/main.ts stamped; 'unknown' when the request did not come through it. */
export function clientAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}
