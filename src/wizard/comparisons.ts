// The seed's comparison tables in short form, shown before the network, DNS and auth choices.
import type { AuthMode, DnsMode, NetworkMode } from '../config/choices.js';

export interface Comparison<T extends string> {
  heading: string;
  columns: readonly string[];
  rows: Record<T, readonly string[]>;
}

// Seed, "Step 1": public network | VPC peering | CEN.
export const NETWORK_COMPARISON: Comparison<NetworkMode> = {
  heading: "How A's nodes reach the registry",
  columns: ['path', 'cost', 'constraint'],
  rows: {
    public: ['Internet', 'EIP/NAT + traffic fees', 'no VPC changes; an ACL limits who may pull'],
    peering: ['private', 'free in one region, CDT across', 'the two VPCs must not overlap'],
    cen: ['private', 'CEN billing', 'enterprise setups with strict security'],
  },
};

// Seed, "Resolve the ACR instance domain name for the ACK cluster".
export const DNS_COMPARISON: Comparison<DnsMode> = {
  heading: "How A's nodes resolve the registry's VPC domain",
  columns: ['where', 'covers'],
  rows: {
    privatezone: ["a PrivateZone record bound to A's VPC", 'every node, also ones added later'],
    hosts: ['/etc/hosts via node-pool user data', 'new nodes; existing ones via Cloud Assistant'],
  },
};

// Seed, "Step 2": RRSA | worker RAM role | AccessKey pair.
export const AUTH_COMPARISON: Comparison<AuthMode> = {
  heading: 'How the credential helper gets registry credentials',
  columns: ['granularity', 'security', 'best for'],
  rows: {
    rrsa: ['pod', 'high: STS, no stored key', 'production'],
    'worker-role': ['cluster', 'medium: every pod shares it', 'dev and staging'],
    'access-key': ['account', 'low: AccessKey in plaintext', 'demos, non-production'],
  },
};

/** The table as aligned lines, with the option names in the first column. */
export function renderComparison<T extends string>(table: Comparison<T>): string[] {
  const names = Object.keys(table.rows) as T[];
  const header = ['', ...table.columns];
  const body = names.map((name) => [name, ...table.rows[name]]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) => `    ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [`  ${table.heading}:`, line(header), ...body.map(line)];
}

/** A choice's label: the name and its key trait, e.g. `peering  private, the two VPCs must not overlap`. */
export function optionLabel<T extends string>(table: Comparison<T>, value: T): string {
  const width = Math.max(...Object.keys(table.rows).map((k) => k.length));
  const row = table.rows[value];
  return `${value.padEnd(width)}  ${row[0]}, ${row[row.length - 1]}`;
}
