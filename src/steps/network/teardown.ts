// `destroy` for the network step: removes exactly what carries our marker, whatever mode the config names now —
// VPC routes in A's VPC and B's VPCs, our VPC peering, our CEN pieces (teardown-cen.ts), our entries on
// the registry's Internet ACL — and shows as kept, with the reason, what the setup changed but cannot prove is
// ours or others may rely on. Pure: the writes are in teardown-apply.ts.
//
// Nothing to remove for the Cloud Assistant address lookups: RunCommand ran without KeepCommand, so no command
// was saved, and invocation records cannot be deleted (Cloud Assistant expires them).
import type { Action } from '../../plan/action.js';
import { isOurs } from '../marker.js';
import type { StepClients } from '../step.js';
import { NAMES, type NetworkDestroyFacts } from './facts.js';
import { removeAclEntry, removePeering } from './teardown-apply.js';
import { planCenTeardown } from './teardown-cen.js';
import { hopsTo, planRoutes, userRoutesTo, type PlannedRoute } from './teardown-routes.js';

const base = { step: 'network' as const };

/** Our VPC peering (name and marker), after the routes that use it; the user's stay. */
function planPeerings(f: NetworkDestroyFacts, clients: StepClients, routes: PlannedRoute[]): Action[] {
  const t = f.teardown;
  return t.peerings.map((p): Action => {
    const id = `network.destroy.peering.${p.instanceId}`;
    const account = p.ownerId === f.accountB ? 'B' : 'A';
    const detail = { id: p.instanceId, name: p.name ?? '', requester: `${p.vpc.vpcId} (${p.regionId ?? f.regionA})`, accepter: `${p.acceptingVpc.vpcId} (${p.acceptingRegionId ?? ''})`, status: p.status };
    if (!(p.name === NAMES.peering && isOurs(p.description))) {
      return { ...base, id, account, change: 'noop', title: `Keep VPC peering ${p.instanceId}${p.name ? ` (${p.name})` : ''}: not made by acr-xaccount`, detail };
    }
    const blockers = userRoutesTo(t, 'VpcPeer', p.instanceId);
    if (blockers.length > 0) {
      return {
        ...base,
        id,
        account,
        change: 'noop',
        title: `Keep VPC peering ${p.instanceId}: ${blockers.join(', ')}, not made by acr-xaccount, still use${blockers.length === 1 ? 's' : ''} it (remove or re-point it, then run destroy again)`,
        detail,
      };
    }
    const deleting = p.status === 'Deleting';
    return {
      ...base,
      id,
      account,
      change: deleting ? 'wait' : 'delete',
      title: `${deleting ? 'Wait for the removal of' : 'Delete'} VPC peering ${p.instanceId} (${NAMES.peering}) between ${p.vpc.vpcId} and ${p.acceptingVpc.vpcId}`,
      detail,
      dependsOn: routes.filter((r) => hopsTo(r.entry, 'VpcPeer', p.instanceId)).map((r) => r.actionId),
      apply: (ctx) => removePeering(clients, account, p.instanceId, ctx),
    };
  });
}

/** Our ACL entries on the Internet endpoint; the endpoint stays on, and so do the registry's VPC links. */
function planRegistrySide(f: NetworkDestroyFacts, clients: StepClients): Action[] {
  const t = f.teardown;
  const actions: Action[] = [];
  const b = { ...base, account: 'B' as const };
  const ours = (t.internet?.aclEntries ?? []).filter((a) => isOurs(a.comment));
  for (const acl of ours) {
    actions.push({
      ...b,
      id: `network.destroy.acl.${acl.entry}`,
      change: 'delete',
      title: `Remove ${acl.entry} from the Internet endpoint's ACL of ${f.instanceId}`,
      detail: { instance: f.instanceId, entry: acl.entry, comment: acl.comment ?? '' },
      apply: () => removeAclEntry(clients, f.instanceId, acl.entry),
    });
  }
  if (t.internet?.enabled && (f.mode === 'public' || ours.length > 0)) {
    actions.push({
      ...b,
      id: 'network.destroy.internet-endpoint',
      change: 'noop',
      title: `Keep the Internet endpoint of ${f.instanceId} on (others may pull over the Internet; turn it off in the console if nothing else does)`,
      detail: { instance: f.instanceId, domain: f.registryInternetDomain },
    });
  }
  // A link carries no marker, and everything in that VPC may pull through it.
  for (const link of t.links.filter((l) => l.status !== 'DELETING')) {
    actions.push({
      ...b,
      id: `network.destroy.link.${link.vpcId}`,
      change: 'noop',
      title: `Keep the registry's link to B's VPC ${link.vpcId} (a link carries no marker, and others may pull through it; remove it in the console if nothing else does)`,
      detail: { instance: f.instanceId, vpc: link.vpcId, vSwitch: link.vswitchId, ip: link.ip },
    });
  }
  return actions;
}

export function planNetworkTeardown(f: NetworkDestroyFacts, clients: StepClients): Action[] {
  const { actions: routeActions, routes } = planRoutes(f.teardown, clients);
  return [...routeActions, ...planPeerings(f, clients, routes), ...planCenTeardown(f, clients, routes), ...planRegistrySide(f, clients)];
}
