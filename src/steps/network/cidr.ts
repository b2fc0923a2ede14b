// IPv4 arithmetic the preflight checks and planners need: containment and overlap of CIDR blocks.

/** The address as an unsigned 32-bit number; undefined when it is not a dotted quad. */
export function ipToInt(ip: string): number | undefined {
  const parts = ip.trim().split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** A block as [first, last] addresses; a bare address is its /32. */
export function cidrRange(cidr: string): [number, number] | undefined {
  const [ip, bitsText] = cidr.trim().split('/');
  const base = ipToInt(ip ?? '');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const first = base - (base % size);
  return [first, first + size - 1];
}

export function cidrContains(cidr: string, ip: string): boolean {
  const range = cidrRange(cidr);
  const n = ipToInt(ip);
  return range !== undefined && n !== undefined && n >= range[0] && n <= range[1];
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return x !== undefined && y !== undefined && x[0] <= y[1] && y[0] <= x[1];
}

/** `a` lies entirely inside `b`. */
export function cidrWithin(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return x !== undefined && y !== undefined && x[0] >= y[0] && x[1] <= y[1];
}

/** `a.b.c.d/n` in canonical form (host bits cleared); a bare address becomes its /32. */
export function normalizeCidr(cidr: string): string | undefined {
  const range = cidrRange(cidr);
  if (!range) return undefined;
  const bits = Number(cidr.includes('/') ? cidr.split('/')[1] : 32);
  const n = range[0];
  return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/${bits}`;
}

export const hostRoute = (ip: string): string => `${ip}/32`;
