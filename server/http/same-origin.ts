// Cross-site request forgery defence for browser callers: a state-changing request, or a websocket
// upgrade, that a browser sends from another origin (another site, or another port of this host) is
// refused. Browsers always send Origin on such requests and Sec-Fetch-Site where they support it;
// clients that send neither (CLI, scripts, agents) cannot be driven by a foreign page.

type HeaderGetter = (name: string) => string | null | undefined;

/** The origins this server answers as: FERRY_PUBLIC_URL's, and the one the request's Host names. */
function ownOrigins(header: HeaderGetter, publicUrl: string | undefined): { origins: Set<string>; host: string | null } {
  const origins = new Set<string>();
  if (publicUrl) origins.add(new URL(publicUrl).origin);
  return { origins, host: header('host')?.toLowerCase() ?? null };
}

/** Why the request comes from a foreign origin, or null when it is same-origin (or not from a browser). */
export function foreignOriginReason(header: HeaderGetter, publicUrl: string | undefined): string | null {
  const site = header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return `requests from another origin are refused (Sec-Fetch-Site: ${site})`;
  const origin = header('origin');
  if (origin === null || origin === undefined) return null;
  const { origins, host } = ownOrigins(header, publicUrl);
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `requests from another origin are refused (Origin: ${origin.slice(0, 100)})`;
  }
  if (origins.has(parsed.origin) || (host !== null && parsed.host.toLowerCase() === host)) return null;
  return `requests from another origin are refused (Origin: ${parsed.origin})`;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** POST, PUT, PATCH and DELETE: the methods that must pass the origin and body-type checks. */
export const changesState = (method: string) => STATE_CHANGING.has(method.toUpperCase());

/** The media type of a content-type header, lower-cased, without parameters ('' when absent). */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
