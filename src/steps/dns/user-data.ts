// The hosts block as a shell section (templates/hosts-block.sh), and merging it into a node pool's user data:
// the user's own script is kept line for line; our section sits right after the shebang (so a user's `exit` or
// `set -e` later in the script cannot skip or break it), and a re-run replaces it instead of adding another.
import { loadTemplate, renderTemplate } from '../../templates.js';

const TEMPLATE = 'hosts-block.sh';
const REMOVAL_TEMPLATE = 'hosts-block-remove.sh';
/** The lines that fence the block inside /etc/hosts (the sandbox's Cloud Assistant shell reads the same two). */
export const HOSTS_BEGIN = '# BEGIN acr-xaccount';
export const HOSTS_END = '# END acr-xaccount';

/** The first and last lines of the template fence our section inside user data. */
function sectionMarkers(): { begin: string; end: string } {
  const lines = loadTemplate(TEMPLATE).split('\n').map((l) => l.trim()).filter(Boolean);
  return { begin: lines[0]!, end: lines.at(-1)! };
}

/** The hosts lines, e.g. `172.16.1.252 acme-registry-vpc.cn-hangzhou.cr.aliyuncs.com`. */
export const hostsEntries = (entries: readonly { ip: string; domain: string }[]): string[] => entries.map((e) => `${e.ip} ${e.domain}`);

/** Our section: the script that rewrites the block in /etc/hosts. */
export function hostsSection(lines: readonly string[]): string {
  return renderTemplate(TEMPLATE, { entries: lines.join('\n') }).replace(/\n+$/, '');
}

/** The whole script Cloud Assistant runs on an existing node. */
export const hostsScript = (lines: readonly string[]): string => `#!/bin/bash\n${hostsSection(lines)}\n`;

/** The lines between the BEGIN/END markers of a script or hosts file (undefined: no block). */
export function blockOf(text: string): string[] | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const begin = lines.indexOf(HOSTS_BEGIN);
  const end = lines.findIndex((l, i) => i > begin && l === HOSTS_END);
  if (begin < 0 || end < 0) return undefined;
  return lines.slice(begin + 1, end).filter(Boolean);
}

/** User data with our section removed (every copy of it), the rest exactly as it was. */
export function withoutHostsSection(userData: string): string {
  const { begin, end } = sectionMarkers();
  const out: string[] = [];
  let inside = false;
  for (const line of userData.split('\n')) {
    if (!inside && line.trim() === begin) inside = true;
    else if (inside && line.trim() === end) inside = false;
    else if (!inside) out.push(line);
  }
  return out.join('\n');
}

/** The user data carries our section (the template's first line, on a line of its own). */
export const hasHostsSection = (userData: string): boolean => userData.split('\n').some((l) => l.trim() === sectionMarkers().begin);

/**
 * `destroy`: the user data as it was before withHostsSection, byte for byte. The merge turns empty user data into
 * `#!/bin/bash` + our section, so a bare `#!/bin/bash` line left over becomes empty again (user data that was
 * only that line, a script doing nothing, comes back empty: the two cannot be told apart).
 */
export function userDataWithoutHosts(userData: string): string {
  if (!hasHostsSection(userData)) return userData;
  const rest = withoutHostsSection(userData);
  return rest === '#!/bin/bash\n' ? '' : rest;
}

/** The script Cloud Assistant runs on an existing node at `destroy`: it deletes our block from /etc/hosts, nothing else. */
export const hostsRemovalScript = (): string => renderTemplate(REMOVAL_TEMPLATE, {});

/** Why a user-data script cannot take our section, if it cannot (cloud-init YAML is not a shell script). */
export function unmergeableReason(userData: string): string | undefined {
  const first = userData.trimStart().split('\n')[0] ?? '';
  if (/^#cloud-config|^#cloud-boothook|^Content-Type: multipart/i.test(first)) return `its user data is cloud-init (${first.trim()}), not a shell script`;
  if (first.startsWith('#!') && !/\b(ba|da|z|k)?sh\b/.test(first)) return `its user data runs with ${first.slice(2).trim()}, not a shell`;
  return undefined;
}

/** The user data with our section in it (replacing an earlier one). */
export function withHostsSection(userData: string, lines: readonly string[]): string {
  const section = hostsSection(lines);
  const rest = withoutHostsSection(userData);
  if (rest.trim() === '') return `#!/bin/bash\n${section}\n`;
  const all = rest.split('\n');
  const at = all[0]!.startsWith('#!') ? 1 : 0;
  return [...all.slice(0, at), section, ...all.slice(at)].join('\n');
}
