// `destroy` for the DNS step, whatever the configured mode: a user who switched from hosts to PrivateZone (or back)
// expects both gone. Discovery reads the zones named exactly the registry's VPC domain, and (except on Serverless
// clusters, which have no node pools of ours to edit) the node pools' user data and what each node last ran.
// No registry address is needed: nothing is written, only taken out. With A's cluster gone (deleted before
// destroy), its node pools and nodes went with it: only the zones are read (teardown-zones.ts says how a zone is
// then proven ours without knowing A's VPC).
import type { Config } from '../../config/schema.js';
import type { Action } from '../../plan/action.js';
import { registryVpcDomain } from '../network/registry-vpc.js';
import type { StepClients, TeardownBase } from '../step.js';
import { initialFacts, type DnsFacts } from './facts.js';
import { discoverHosts } from './hosts.js';
import { discoverZones } from './privatezone.js';
import { teardownHosts } from './teardown-hosts.js';
import { teardownZones } from './teardown-zones.js';

export async function discoverDnsTeardown(config: Config, base: TeardownBase, clients: StepClients): Promise<DnsFacts> {
  const f = initialFacts(config, base, registryVpcDomain(base));
  const [zones, hosts] = await Promise.all([
    f.domain ? discoverZones(clients.A, f.domain) : Promise.resolve([]),
    !base.cluster || f.profile === 'Serverless' ? Promise.resolve({ pools: [], nodes: [] }) : discoverHosts(clients.A, f.clusterId),
  ]);
  return { ...f, zones, ...hosts };
}

export function teardownDns(f: DnsFacts, clients: StepClients): Action[] {
  return [...teardownZones(f, clients), ...teardownHosts(f, clients)];
}
