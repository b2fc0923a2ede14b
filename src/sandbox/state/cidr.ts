// IPv4 address and CIDR arithmetic for the simulated network (routes, vSwitches, peering and CEN checks).

/** Whether `text` is a dotted-quad IPv4 address (no leading zeros, each octet 0..255). */
export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

const maskOf = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

export function parseCidr(cidr: string): { base: number; bits: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits ?? 32);
  return { base: (ipToInt(ip!) & maskOf(prefix)) >>> 0, bits: prefix };
}

export const prefixLength = (cidr: string): number => parseCidr(cidr).bits;

/**
 * A destination as the Vpc API takes it: `a.b.c.d/n`, or a bare address meaning /32 (documented for
 * CreateRouteEntry). Undefined when malformed. A CIDR with host bits set is refused too (assumed: the cloud
 * answers InvalidCidrBlock.Malformed rather than silently masking it).
 */
export function normalizeCidr(text: string): string | undefined {
  const trimmed = text.trim();
  const [ip, bits, extra] = trimmed.split('/');
  if (extra !== undefined || !ip || !isIpv4(ip)) return undefined;
  if (bits === undefined) return `${ip}/32`;
  if (!/^(0|[1-9]\d?)$/.test(bits) || Number(bits) > 32) return undefined;
  const prefix = Number(bits);
  const value = ipToInt(ip);
  if (((value & ~maskOf(prefix)) >>> 0) !== 0) return undefined;
  return `${ip}/${prefix}`;
}

export function cidrContains(cidr: string, ip: string): boolean {
  const { base, bits } = parseCidr(cidr);
  return ((ipToInt(ip) & maskOf(bits)) >>> 0) === base;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const mask = maskOf(Math.min(x.bits, y.bits));
  return ((x.base & mask) >>> 0) === ((y.base & mask) >>> 0);
}

/** Whether `inner` is the same as or a subset of `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const i = parseCidr(inner);
  const o = parseCidr(outer);
  return i.bits >= o.bits && ((i.base & maskOf(o.bits)) >>> 0) === o.base;
}

/** The next free address in a CIDR, for seeding node and endpoint IPs deterministically. */
export function addressIn(cidr: string, index: number): string {
  const { base } = parseCidr(cidr);
  return intToIp((base + index) >>> 0);
}

/** How many addresses a CIDR holds. */
export const cidrSize = (cidr: string): number => 2 ** (32 - parseCidr(cidr).bits);
