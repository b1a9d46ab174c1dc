import { lookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { checkedLookup, RefusedTargetError, refusedUrlReason } from './webhook-target';

// One webhook POST, to an address checked after resolution (webhook-target.ts). What the delivery
// log records is uniform on purpose: "refused target", "delivery failed" or the HTTP status, never
// the socket's own error text, which would tell an open port from a closed one.

export type SendOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export interface SendOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Name resolution; tests substitute one that answers what a rebinding DNS server would. */
  resolveAll?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

export const REFUSED_TARGET = 'refused target';
export const DELIVERY_FAILED = 'delivery failed';

/** POSTs `body` to `url`; never throws. Redirects are not followed (a 3xx is a failed delivery). */
export async function sendWebhook(url: string, opts: SendOptions): Promise<SendOutcome> {
  if (refusedUrlReason(url, opts.allowPrivate)) return { ok: false, status: null, error: REFUSED_TARGET };
  const target = new URL(url);
  const resolveAll = opts.resolveAll ?? ((host: string) => lookup(host, { all: true, verbatim: true }));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
    // IP literals were checked above and skip lookup; names are resolved and checked here, once.
    lookup: isIP(host) ? undefined : (checkedLookup(resolveAll, opts.allowPrivate) as RequestOptions['lookup']),
    agent: false,
    timeout: opts.timeoutMs,
  };
  return new Promise<SendOutcome>((resolve) => {
    const req = request(target, options, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` });
    });
    const deadline = setTimeout(() => req.destroy(new Error('timeout')), opts.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) =>
      resolve({ ok: false, status: null, error: error instanceof RefusedTargetError ? REFUSED_TARGET : DELIVERY_FAILED }),
    );
    req.end(opts.body);
  });
}
