// The DNS step (seed: "Resolve the ACR instance domain name for the ACK cluster"): A's nodes must resolve the
// registry's VPC domain to its address in B's linked VPC, through PrivateZone or /etc/hosts. Public mode needs
// nothing: the Internet domain resolves through public DNS.
import type { Config } from '../../config/schema.js';
import type { Action } from '../../plan/action.js';
import { chooseRegistryVpc, registryInternetDomain, registryVpcDomain } from '../network/registry-vpc.js';
import type { BaseFacts, StepClients, StepModule } from '../step.js';
import { initialFacts, type DnsFacts } from './facts.js';
import { discoverHosts, hostsProblems, planHosts } from './hosts.js';
import { discoverZones, planPrivateZone, zoneProblems } from './privatezone.js';
import { planRegistryIp } from './registry-ip.js';
import { discoverDnsTeardown, teardownDns } from './teardown.js';

async function discoverDns(config: Config, base: BaseFacts, clients: StepClients): Promise<DnsFacts> {
  const f = initialFacts(config, base, config.network.mode === 'public' ? registryInternetDomain(base) : registryVpcDomain(base));
  if (f.network === 'public') return f;
  const [choice, extra] = await Promise.all([
    chooseRegistryVpc(config, base, clients.B),
    f.mode === 'privatezone' ? discoverZones(clients.A, f.domain).then((zones) => ({ zones })) : f.profile === 'Serverless' ? Promise.resolve({}) : discoverHosts(clients.A, f.clusterId),
  ]);
  Object.assign(f, extra);
  f.vpcB = choice.vpcId;
  if (choice.problem) f.problems.push(choice.problem);
  if (choice.link?.status === 'RUNNING' && choice.link.ip) f.registryIp = choice.link.ip;
  f.linkPending = Boolean(choice.link && !f.registryIp);
  if (!f.domain) f.problems.push(`instance ${f.instanceId} shows no VPC domain: check that it is an Enterprise Edition instance, or use --network public`);
  return f;
}

function preflightDns(f: DnsFacts): string[] {
  if (f.network === 'public') return [];
  return [...f.problems, ...(f.mode === 'hosts' ? hostsProblems(f) : zoneProblems(f))];
}

function planDns(f: DnsFacts, clients: StepClients): Action[] {
  if (f.network === 'public') {
    return [{ id: 'dns.public', step: 'dns', account: 'A', change: 'noop', title: `Public mode: ${f.domain} resolves through public DNS`, detail: { domain: f.domain } }];
  }
  const ip = planRegistryIp(f, clients.B, clients.pollIntervalMs);
  const actions = f.mode === 'hosts' ? planHosts(f, clients, ip.ip) : planPrivateZone(f, clients.A, ip.ip);
  return ip.action ? [ip.action, ...actions] : actions;
}

export const step: StepModule<DnsFacts> = {
  name: 'dns',
  discover: discoverDns,
  preflight: (_config, facts) => preflightDns(facts),
  plan: (_config, facts, _base, clients) => planDns(facts, clients),
  discoverTeardown: discoverDnsTeardown,
  teardown: (_config, facts, _base, clients) => teardownDns(facts, clients),
};
