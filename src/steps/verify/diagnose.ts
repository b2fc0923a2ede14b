// From the kubelet's pull failure to the broken link and the fix a platform engineer acts on.
import type { Config } from '../../config/schema.js';

/** Which address the failing request went to: the registry itself, its auth service, or OSS (the layers). */
export type Target = 'registry' | 'auth' | 'oss';

export interface Diagnosis {
  /** Stable ID of the broken link, e.g. `dns-registry` (as `doctor` names it). */
  link: string;
  /** The link in words, e.g. `name resolution of the registry domain`. */
  title: string;
  /** What to do, ending with the command that repairs it. */
  fix: string;
}

/** What the fixes name: the setup's choices and the failing request's address. */
export interface DiagnoseContext {
  config: Config;
  /** The host the failing request went to (from the event's URL), when it names one. */
  host?: string;
}

interface Rule {
  pattern: RegExp;
  /** Only for requests to this address; any when undefined. */
  target?: Target;
  link: string;
  title: string;
  fix: (c: DiagnoseContext) => string;
}

const TARGET_WORDS: Record<Target, string> = { registry: 'the registry domain', auth: 'the auth service', oss: 'the OSS (layer storage) domain' };
const ADDRESS_FLAG: Record<Target, string> = { registry: '', auth: ' (its address: --auth-ip)', oss: ' (its address: --oss-ip)' };

const host = (c: DiagnoseContext, t: Target): string => c.host ?? TARGET_WORDS[t];

function resolveFix(t: Target) {
  return (c: DiagnoseContext): string => {
    const mode = c.config.network.mode;
    if (mode === 'public') {
      return `Public DNS does not resolve ${host(c, t)}: check that the instance's Internet endpoint is enabled and that the nodes use a resolver that reaches the Internet. Re-run \`acr-xaccount apply --step network\`.`;
    }
    if (c.config.network.dns === 'hosts') {
      return `The nodes' /etc/hosts block has no line for ${host(c, t)}${ADDRESS_FLAG[t]}: the block is written when a node starts, so check the node pool's user data too. Re-run \`acr-xaccount apply --step dns\`.`;
    }
    return `A's VPC cannot resolve ${host(c, t)}: the PrivateZone record for it is missing, or its zone is not bound to A's VPC${ADDRESS_FLAG[t]}. Re-run \`acr-xaccount apply --step dns\`.`;
  };
}

function routeFix(t: Target) {
  return (c: DiagnoseContext): string => {
    const mode = c.config.network.mode;
    if (mode === 'public') {
      return `${host(c, t)} resolves, but the cluster cannot reach it over the Internet: A's VPC needs a NAT gateway with an EIP (SNAT for the nodes' vSwitches), and the registry's Internet ACL must hold that EIP. Re-run \`acr-xaccount apply --step network\`.`;
    }
    const link = mode === 'cen' ? 'the CEN instance (both VPCs attached, the routes to the other VPC published)' : 'the VPC peering connection (Activated, a route entry in each VPC pointing at it)';
    return `${host(c, t)} resolves, but no route carries the traffic to its address in B's VPC${ADDRESS_FLAG[t]}: check ${link}, for the registry's linked vSwitch and the auth and OSS addresses. Re-run \`acr-xaccount apply --step network\`.`;
  };
}

const credentialsFix = (c: DiagnoseContext): string => {
  const chain: Record<Config['auth']['mode'], string> = {
    rrsa: "RRSA enabled on the cluster, role A trusting the cluster's OIDC provider for the helper's service account, role B trusting role A",
    'worker-role': "the cluster's worker role allowed to sts:AssumeRole role B, and role B trusting account A",
    'access-key': "the AccessKey of B's RAM user still existing and active, and stored in the helper's Secret",
  };
  return `The credential helper gave the node no valid credentials for this instance. Check the add-on is running and its configuration has an entry for the instance and this domain, the test namespace and service account are watched (--verify-namespace, --watch-namespace), and the chain: ${chain[c.config.auth.mode]}. Re-run \`acr-xaccount apply --step auth --step addon\`; \`acr-xaccount doctor\` names the exact link.`;
};

/** Patterns of the kubelet's `Failed to pull image` messages, most specific first. */
const RULES: readonly Rule[] = [
  ...(['registry', 'auth', 'oss'] as const).flatMap((t): Rule[] => [
    { pattern: /no such host/, target: t, link: `dns-${t}`, title: `name resolution of ${TARGET_WORDS[t]}`, fix: resolveFix(t) },
    { pattern: /i\/o timeout|connection refused|no route to host/, target: t, link: `network-${t}`, title: `network path to ${TARGET_WORDS[t]}`, fix: routeFix(t) },
  ]),
  { pattern: /401 Unauthorized/, link: 'credentials', title: 'credentials from the credential helper', fix: credentialsFix },
  {
    pattern: /403 Forbidden/,
    link: 'permission',
    title: "role B's pull permission",
    fix: (c) =>
      `The credentials work, but their policy (${c.config.auth.policyName} on role B or the RAM user) does not allow cr:GetAuthorizationToken and cr:PullRepository on this instance and repository. Re-run \`acr-xaccount apply --step auth\` (--policy-scope instance covers every repository of the instance).`,
  },
  {
    pattern: /not found/,
    link: 'image',
    title: 'the test image',
    fix: () => 'Every link works, but this image does not exist in the instance: pass one that does with `acr-xaccount verify --image NAMESPACE/REPOSITORY:TAG`.',
  },
];

/** The address a failing request went to, from the URL in the kubelet's message. */
export function targetOf(message: string): { target: Target; host?: string } {
  const url = /(?:Head|Get|Post) "https:\/\/([^/"]+)([^"]*)"/.exec(message);
  const path = url?.[2] ?? '';
  if (path.startsWith('/docker/registry/') || /\boss\b|oss-/.test(url?.[1] ?? '')) return { target: 'oss', host: url?.[1] };
  if (path.startsWith('/auth') || /oauth token/.test(message)) return { target: 'auth', host: url?.[1] };
  return { target: 'registry', host: url?.[1] };
}

/** The broken link and its fix for one kubelet pull failure; an unknown message gets the generic advice. */
export function diagnose(message: string, config: Config): Diagnosis {
  const { target, host: failedHost } = targetOf(message);
  const context: DiagnoseContext = { config, host: failedHost };
  const rule = RULES.find((r) => r.pattern.test(message) && (r.target === undefined || r.target === target));
  if (rule) return { link: rule.link, title: rule.title, fix: rule.fix(context) };
  return { link: 'unknown', title: 'the image pull', fix: 'Run `acr-xaccount doctor`: it checks each link of the setup and names the broken one.' };
}
