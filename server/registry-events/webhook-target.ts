import { BlockList, isIP } from 'node:net';

// Where a webhook may point. Ferry POSTs from inside the network it runs in, so a webhook URL is a
// way to make the server reach addresses its users cannot: loopback services, the private network,
// the cloud metadata endpoint. Those are refused at creation and again on the resolved address at
// every delivery (a name may resolve elsewhere by then: DNS rebinding).

export type AddressKind =
  'public' | 'loopback' | 'private' | 'cgnat' | 'link-local' | 'metadata' | 'unspecified' | 'multicast' | 'reserved';

/** Kinds FERRY_WEBHOOK_ALLOW_PRIVATE=1 lets through (on-premise receivers); the rest never are. */
const PRIVATE_KINDS: ReadonlySet<AddressKind> = new Set(['loopback', 'private', 'cgnat']);

function ranges(kind: AddressKind, v4: string[], v6: string[] = []): [AddressKind, BlockList] {
  const list = new BlockList();
  for (const cidr of v4) list.addSubnet(cidr.split('/')[0]!, Number(cidr.split('/')[1]), 'ipv4');
  for (const cidr of v6) list.addSubnet(cidr.split('/')[0]!, Number(cidr.split('/')[1]), 'ipv6');
  return [kind, list];
}

// Most specific first: the metadata addresses sit inside link-local, CGNAT and ULA ranges.
const KINDS: Array<[AddressKind, BlockList]> = [
  ranges('metadata', ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32'], ['fd00:ec2::254/128']),
  ranges('unspecified', ['0.0.0.0/8'], ['::/128']),
  ranges('loopback', ['127.0.0.0/8'], ['::1/128']),
  ranges('private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], ['fc00::/7', 'fec0::/10']),
  ranges('cgnat', ['100.64.0.0/10']),
  ranges('link-local', ['169.254.0.0/16'], ['fe80::/10']),
  ranges('multicast', ['224.0.0.0/4'], ['ff00::/8']),
  ranges(
    'reserved',
    ['192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4'],
    ['2001:db8::/32', '100::/64', '::/96'],
  ),
];

/** An IPv4 address hidden in an IPv6 one (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96), else null. */
function embeddedIpv4(ipv6: string): string | null {
  const groups = expandIpv6(ipv6);
  if (!groups) return null;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return null;
  return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tails included), or null when malformed. */
function expandIpv6(ip: string): number[] | null {
  let text = ip
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .split('%')[0]!;
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const o = dotted[2]!.split('.').map(Number);
    text = `${dotted[1]}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return null;
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<number>(Math.max(0, fill)).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** What kind of address an IP literal is; 'reserved' for anything that does not parse as one. */
export function classifyAddress(ip: string): AddressKind {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4) return classifyAddress(v4);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of KINDS) if (list.check(bare, type)) return kind;
  return 'public';
}

/** Why a delivery may not go to this resolved address, or null when it may. */
export function refusedAddressReason(ip: string, allowPrivate: boolean): string | null {
  const kind = classifyAddress(ip);
  if (kind === 'public' || (allowPrivate && PRIVATE_KINDS.has(kind))) return null;
  return `${kind} address ${ip}`;
}

const LOOPBACK_NAMES = /^(localhost|.*\.localhost)\.?$/i;
const METADATA_NAMES = /^(metadata|metadata\.google\.internal|metadata\.goog|instance-data|instance-data\.ec2\.internal)\.?$/i;

/**
 * Why a webhook URL is refused before any resolution, or null. The WHATWG URL parser has already
 * turned decimal (2130706433), octal (0177.0.0.1) and hex (0x7f.1) IPv4 forms into dotted quads.
 */
export function refusedUrlReason(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'webhook URLs are http:// or https://';
  if (parsed.username || parsed.password) return 'webhook URLs carry no credentials; receivers verify X-Ferry-Signature';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (METADATA_NAMES.test(host)) return `metadata host ${host}`;
  if (isIP(host)) return refusedAddressReason(host, allowPrivate);
  if (LOOPBACK_NAMES.test(host) && !allowPrivate) return `loopback host ${host}`;
  return null;
}

export class RefusedTargetError extends Error {
  constructor(readonly reason: string) {
    super(`refused target: ${reason}`);
    this.name = 'RefusedTargetError';
  }
}

type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
type LookupCallback = (error: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/**
 * A `lookup` for http(s).request that resolves the name once, refuses it when any address it
 * resolves to is refused, and hands the socket exactly the checked address to connect to.
 */
export function checkedLookup(resolveAll: LookupAll, allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean } | number, callback: LookupCallback): void => {
    resolveAll(hostname).then(
      (addresses) => {
        const refused = addresses.map((a) => refusedAddressReason(a.address, allowPrivate)).find((r) => r !== null);
        if (refused) return callback(new RefusedTargetError(refused), '');
        if (!addresses.length) return callback(new Error(`${hostname} has no address`), '');
        if (typeof options === 'object' && options.all) return callback(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
}
