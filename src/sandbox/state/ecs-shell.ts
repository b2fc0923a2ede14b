// The shell a Cloud Assistant RunShellScript runs in, simulated: it understands exactly what acr-xaccount sends —
// name lookups from the instance (getent, nslookup, dig +short), `cat /etc/hosts`, and the script that rewrites our
// block in /etc/hosts — and answers anything else the way bash does for an unknown command (exit 127).
import type { World } from '../world.js';
import { resolveFromVpc } from '../network-dns.js';
import { HOSTS_BLOCK_BEGIN, HOSTS_BLOCK_END, replaceHostsBlock, type EcsInstanceRecord } from './ecs.js';
import { canonicalName } from './pvtz.js';

/** The VPC's DNS server every Alibaba Cloud VPC instance uses by default. */
export const VPC_DNS_SERVER = '100.100.2.136';

export interface ShellContext {
  world: World;
  accountId: string;
  instance: EcsInstanceRecord;
  /** Where Cloud Assistant saved the script; bash names it in its error messages. */
  scriptPath: string;
}

export interface ShellResult {
  output: string;
  exitCode: number;
}

export interface Resolution {
  /** The canonical name (for hosts entries, the first name on the matching line). */
  name: string;
  aliases: string[];
  addresses: string[];
  /** Where the answer came from. */
  source: 'hosts' | 'vpc-dns';
  authoritative: boolean;
}

const isIpv6 = (address: string): boolean => address.includes(':');

/**
 * Looks a name up in hosts-file lines the way glibc's `files` source does with `multi on` (Alibaba Cloud Linux
 * default): every matching line counts, IPv6 addresses win when there are any (why `getent hosts localhost` shows ::1).
 */
export function hostsLookup(hosts: readonly string[], name: string): Resolution | undefined {
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const matches: { address: string; names: string[] }[] = [];
  for (const raw of hosts) {
    const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (address && names.some((n) => n.toLowerCase() === wanted)) matches.push({ address, names });
  }
  if (matches.length === 0) return undefined;
  const v6 = matches.filter((m) => isIpv6(m.address));
  const chosen = v6.length > 0 ? v6 : matches;
  const [canonical, ...aliases] = chosen[0]!.names;
  return { name: canonical!, aliases, addresses: chosen.map((m) => m.address), source: 'hosts', authoritative: true };
}

/**
 * Resolves a name as seen from an instance. With `useHosts` (getent, the kubelet, containerd) /etc/hosts comes
 * first, with glibc's multi-address semantics; then the VPC's DNS, exactly as the network path resolves it
 * (PrivateZone zones bound to the VPC, the registry's names, public DNS).
 */
export function resolveName(world: World, accountId: string, instance: EcsInstanceRecord, name: string, useHosts: boolean): Resolution | undefined {
  if (useHosts) {
    const fromHosts = hostsLookup(instance.hosts, name);
    if (fromHosts) return fromHosts;
  }
  const host = canonicalName(name);
  const answer = resolveFromVpc(world, accountId, instance.vpcId, [], host);
  if (!answer.ip) return undefined;
  return { name: host, aliases: [], addresses: [answer.ip], source: 'vpc-dns', authoritative: answer.via === 'privatezone' };
}

// ---- commands ----

type Command = (ctx: ShellContext, args: string[]) => ShellResult;

/** `getent hosts NAME...`: `%-15s %s` per address, plus aliases (glibc getent); exit 2 when a key is not found. */
const getent: Command = (ctx, args) => {
  if (args[0] !== 'hosts' || args.length < 2) return { output: `Unknown database: ${args[0] ?? ''}\nTry \`getent --help' or \`getent --usage' for more information.\n`, exitCode: 1 };
  let output = '';
  let exitCode = 0;
  for (const key of args.slice(1)) {
    const found = resolveName(ctx.world, ctx.accountId, ctx.instance, key, true);
    if (!found) {
      exitCode = 2;
      continue;
    }
    for (const address of found.addresses) output += `${address.padEnd(15)} ${[found.name, ...found.aliases].join(' ')}\n`;
  }
  return { output, exitCode };
};

/** `nslookup NAME`: asks the VPC DNS server directly (no /etc/hosts), in bind's output format. */
const nslookup: Command = (ctx, args) => {
  const name = args.find((a) => !a.startsWith('-'));
  const header = `Server:\t\t${VPC_DNS_SERVER}\nAddress:\t${VPC_DNS_SERVER}#53\n\n`;
  if (!name) return { output: '', exitCode: 1 };
  const found = resolveName(ctx.world, ctx.accountId, ctx.instance, name, false);
  if (!found) return { output: `${header}** server can't find ${name}: NXDOMAIN\n\n`, exitCode: 1 };
  const answers = found.addresses.map((a) => `Name:\t${found.name}\nAddress: ${a}\n`).join('');
  return { output: `${header}${found.authoritative ? '' : 'Non-authoritative answer:\n'}${answers}\n`, exitCode: 0 };
};

/** `dig +short NAME`: the addresses, one per line, from the VPC DNS (no /etc/hosts); nothing for NXDOMAIN, exit 0. */
const dig: Command = (ctx, args) => {
  if (!args.includes('+short')) return { output: '', exitCode: 127 }; // only the short form is simulated
  const name = args.find((a) => !a.startsWith('+') && !a.startsWith('@') && !a.startsWith('-') && a !== 'A');
  if (!name) return { output: '', exitCode: 0 };
  const found = resolveName(ctx.world, ctx.accountId, ctx.instance, name, false);
  return { output: (found?.addresses ?? []).map((a) => `${a}\n`).join(''), exitCode: 0 };
};

const cat: Command = (ctx, args) => {
  let output = '';
  let exitCode = 0;
  for (const file of args) {
    if (file === '/etc/hosts') output += ctx.instance.hosts.map((l) => `${l}\n`).join('');
    else {
      output += `cat: ${file}: No such file or directory\n`;
      exitCode = 1;
    }
  }
  return { output, exitCode };
};

const COMMANDS: Record<string, Command> = { getent, nslookup, dig, cat };

/**
 * The block a hosts-block script writes, or undefined when the script is not one. Such a script mentions
 * /etc/hosts and carries, as whole lines, HOSTS_BLOCK_BEGIN, the entries, HOSTS_BLOCK_END (e.g. in a here-document);
 * the lines in between become the block (none: the block is removed). How it edits the file is not simulated.
 */
export function hostsBlockOfScript(script: string): string[] | undefined {
  if (!script.includes('/etc/hosts')) return undefined;
  const lines = script.split(/\r?\n/);
  const begin = lines.findIndex((l) => l.trim() === HOSTS_BLOCK_BEGIN);
  const end = lines.findIndex((l, i) => i > begin && l.trim() === HOSTS_BLOCK_END);
  if (begin < 0 || end < 0) return undefined;
  return lines
    .slice(begin + 1, end)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The command that deletes our block from /etc/hosts (both hosts scripts carry it; `destroy`'s carries no block after it). */
const HOSTS_BLOCK_DELETE = `sed '/^${HOSTS_BLOCK_BEGIN}$/,/^${HOSTS_BLOCK_END}$/d' /etc/hosts`;

/** A script that takes our block out of /etc/hosts and writes none back (`destroy`'s removal script). */
export const removesHostsBlock = (script: string): boolean => hostsBlockOfScript(script) === undefined && script.includes(HOSTS_BLOCK_DELETE);

/** Runs a RunShellScript script on the instance: output (stdout and stderr together, as Cloud Assistant reports). */
export function runShellScript(ctx: ShellContext, script: string): ShellResult {
  const block = hostsBlockOfScript(script) ?? (removesHostsBlock(script) ? [] : undefined);
  if (block) {
    ctx.instance.hosts = replaceHostsBlock(ctx.instance.hosts, block);
    return { output: '', exitCode: 0 };
  }
  let output = '';
  let status = 0;
  let errexit = false;
  const lines = script.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^set\s+-[a-z]+/.test(line)) {
      errexit ||= /^set\s+-[a-z]*e/.test(line) || /-o\s+errexit/.test(line);
      continue;
    }
    // The two idioms a lookup line may carry: silence stderr, and tolerate a miss.
    const tolerant = /\|\|\s*true$/.test(line);
    line = line.replace(/\s*\|\|\s*true$/, '').replace(/\s+2>\/dev\/null$/, '').replace(/\s+2>&1$/, '');
    const [name, ...args] = line.split(/\s+/);
    const command = COMMANDS[name!];
    const result = command ? command(ctx, args) : { output: '', exitCode: 127 };
    output += result.exitCode === 127 ? `${ctx.scriptPath}: line ${n + 1}: ${name}: command not found\n` : result.output;
    status = tolerant ? 0 : result.exitCode;
    if (errexit && status !== 0) break;
  }
  return { output, exitCode: status };
}
