import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Headers on every answer of the one HTTP server (pages, API, errors, static files). Scripts run only
// with this response's nonce; what they load themselves (Next chunks, Monaco's AMD modules) is trusted
// through 'strict-dynamic'. Styles stay 'unsafe-inline': Monaco and React set style attributes.

/** The page policy for one response; dev mode also needs eval for React's refresh runtime. */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** True when the browser reached us over https (directly, through FERRY_PUBLIC_URL or a proxy). */
function servedOverHttps(req: IncomingMessage, publicUrl: string | undefined): boolean {
  if (publicUrl?.startsWith('https:')) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  return (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() === 'https';
}

/**
 * Sets the security headers on `res` and hands the nonce to Next.js, which reads it from the request's
 * content-security-policy header for its own inline scripts (any such header a client sent is replaced).
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, opts: { publicUrl?: string; dev?: boolean } = {}): void {
  const csp = contentSecurityPolicy(randomBytes(16).toString('base64'), opts.dev);
  req.headers['content-security-policy'] = csp;
  res.setHeader('content-security-policy', csp);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  if (servedOverHttps(req, opts.publicUrl)) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
