// The network step (seed "Step 1: Configure network connectivity"): public endpoint, VPC peering or CEN.
import type { Config } from '../../config/schema.js';
import type { Action } from '../../plan/action.js';
import type { BaseFacts, StepClients, StepModule, TeardownBase } from '../step.js';
import { planAddresses, RESOLVE_ACTION } from './addresses.js';
import { planCen } from './cen.js';
import { discoverNetwork } from './discover.js';
import type { NetworkDestroyFacts, NetworkFacts } from './facts.js';
import { planRegistryLink } from './link.js';
import { planPeering } from './peering.js';
import { preflightNetwork } from './preflight.js';
import { planPublic } from './public.js';
import { planVpcRoutes } from './routes.js';
import { planNetworkTeardown } from './teardown.js';
import { discoverNetworkTeardown } from './teardown-discover.js';

/**
 * When the auth and OSS addresses are looked up in this run, every other write of the step waits for that lookup:
 * it is where a collision with A's address space is found, so nothing is changed before it.
 */
function gateOn(lookup: Action, actions: Action[]): Action[] {
  if (lookup.change === 'noop') return actions;
  const exempt = (a: Action) => a.id === lookup.id || a.change === 'noop' || (a.dependsOn ?? []).includes(lookup.id);
  return actions.map((a) => (exempt(a) ? a : { ...a, dependsOn: [...(a.dependsOn ?? []), lookup.id] }));
}

export function planNetwork(config: Config, f: NetworkFacts, clients: StepClients): Action[] {
  if (f.mode === 'public') return planPublic(config, f, clients);
  const addresses = planAddresses(f, clients.B, clients.pollIntervalMs);
  const link = planRegistryLink(f, clients.B, clients.pollIntervalMs);
  const targets = { registry: link.registryIp, auth: addresses.auth, oss: addresses.oss };
  let actions: Action[];
  if (f.mode === 'peering') {
    const peering = planPeering(config, f, clients);
    actions = [link.action, addresses.action, ...peering.actions, ...planVpcRoutes(f, clients, targets, peering.hop, peering.hop)];
  } else {
    const cen = planCen(config, f, clients, addresses);
    actions = [link.action, addresses.action, ...cen.actions, ...planVpcRoutes(f, clients, targets, cen.hopA, cen.hopB)];
  }
  return gateOn(addresses.action, actions);
}

export const step: StepModule<NetworkFacts, NetworkDestroyFacts> = {
  name: 'network',
  discover: (config: Config, base: BaseFacts, clients: StepClients) => discoverNetwork(config, base, clients),
  preflight: (config: Config, facts: NetworkFacts) => preflightNetwork(config, facts),
  plan: (config: Config, facts: NetworkFacts, _base: BaseFacts, clients: StepClients) => planNetwork(config, facts, clients),
  // Whatever mode the config names now: what an earlier mode made goes too; A's cluster may be gone.
  discoverTeardown: (config: Config, base: TeardownBase, clients: StepClients) => discoverNetworkTeardown(config, base, clients),
  teardown: (_config: Config, facts: NetworkDestroyFacts, _base: TeardownBase, clients: StepClients) => planNetworkTeardown(facts, clients),
};

export { RESOLVE_ACTION };
