// VPC peering (seed "Create a VPC peering connection and configure a route table"): A requests a connection from
// its VPC to B's, B accepts, both wait for Activated; across regions with the bandwidth asked for. A matching
// connection that already exists is reused (and never modified unless it is ours). Then the routes both ways.
import type { Config } from '../../config/schema.js';
import { fieldChange, type Action } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import type { StepClients } from '../step.js';
import { NAMES, type NetworkFacts } from './facts.js';
import { MARKER, MARKER_TAG, isOurs } from '../marker.js';
import { known, later, read, show, withDeps, type Ref } from './refs.js';
import type { NextHop } from './routes.js';

export const PEERING_ACTION = 'network.peering';
export const ACCEPT_ACTION = 'network.peering-accept';
export const BANDWIDTH_ACTION = 'network.peering-bandwidth';
const PEERING_TIMEOUT_MS = 10 * 60_000;

type Status = string;

/** Polls the connection (as `account` sees it) until `done` accepts its status; returns that status. */
async function waitForStatus(clients: StepClients, account: 'A' | 'B', id: string, done: (s: Status) => boolean, what: string, progress?: (t: string) => void, signal?: AbortSignal): Promise<Status> {
  const peer = await import('../../cloud/vpcpeer.js');
  return waitFor(
    async (report) => {
      const c = await peer.getVpcPeerConnectionAttribute(clients[account], id);
      const status = c?.status ?? 'not visible yet';
      report(status);
      if (c && ['Rejected', 'Expired', 'Deleting', 'Deleted'].includes(c.status)) throw new Error(`peering ${id} is ${c.status}: delete it and re-run`);
      return c && done(c.status) ? c.status : undefined;
    },
    { what, intervalMs: clients.pollIntervalMs, timeoutMs: PEERING_TIMEOUT_MS, progress, signal },
  );
}

export function planPeering(config: Config, f: NetworkFacts, clients: StepClients): { actions: Action[]; hop: NextHop } {
  const existing = f.peering?.existing;
  const vpcA = f.cluster.vpc.vpcId;
  const vpcB = f.registry!.vpc.vpcId;
  const crossRegion = f.regionA !== f.regionB;
  const bandwidth = crossRegion ? config.network.bandwidthMbps : undefined;
  const base = { step: 'network' as const };
  const detail = { requester: `${vpcA} (${f.regionA})`, accepter: `${vpcB} (${f.regionB}, account B)`, ...(crossRegion ? { bandwidthMbps: bandwidth ?? 'VpcPeer default' } : {}) };
  const actions: Action[] = [];
  let id: Ref;
  if (existing) {
    id = known(existing.instanceId);
    const settling = ['Creating', 'Updating'].includes(existing.status);
    actions.push({
      ...base,
      id: PEERING_ACTION,
      account: 'A',
      change: settling ? 'wait' : 'noop',
      title: `${settling ? 'Wait for' : 'Reuse'} VPC peering ${existing.instanceId} (${existing.status}${isOurs(existing.description) ? '' : ', not made by acr-xaccount'})`,
      detail: { ...detail, id: existing.instanceId },
      apply: settling ? async (ctx) => void (await waitForStatus(clients, 'A', existing.instanceId, (s) => s === 'Accepting' || s === 'Activated', `peering ${existing.instanceId}`, ctx.progress, ctx.signal)) : undefined,
    });
  } else {
    id = later(PEERING_ACTION, 'peeringId');
    actions.push({
      ...base,
      id: PEERING_ACTION,
      account: 'A',
      change: 'create',
      title: `Create VPC peering ${NAMES.peering} from ${vpcA} to B's ${vpcB}`,
      detail: { ...detail, name: NAMES.peering, description: MARKER, id: show(id) },
      async apply(ctx) {
        const peer = await import('../../cloud/vpcpeer.js');
        const peeringId = await peer.createVpcPeerConnection(clients.A, {
          vpcId: vpcA,
          acceptingAliUid: f.accountB,
          acceptingRegionId: f.regionB,
          acceptingVpcId: vpcB,
          name: NAMES.peering,
          description: MARKER,
          bandwidth,
          tags: { ...MARKER_TAG },
        });
        // B can accept once the request has reached it.
        await waitForStatus(clients, 'B', peeringId, (s) => s === 'Accepting' || s === 'Activated', `peering ${peeringId} to reach account B`, ctx.progress, ctx.signal);
        return { peeringId };
      },
    });
  }
  const accepter: 'A' | 'B' = existing && existing.acceptingOwnerUid === f.accountA ? 'A' : 'B';
  if (!existing || existing.status !== 'Activated') {
    actions.push(
      withDeps(
        {
          ...base,
          id: ACCEPT_ACTION,
          account: accepter,
          change: 'update',
          title: `Accept the VPC peering in account ${accepter} and wait until it is Activated`,
          detail: { id: show(id) },
          dependsOn: [PEERING_ACTION],
          async apply(ctx) {
            const peer = await import('../../cloud/vpcpeer.js');
            const peeringId = read(ctx, id);
            const current = await peer.getVpcPeerConnectionAttribute(clients[accepter], peeringId);
            if (current?.status === 'Accepting') await peer.acceptVpcPeerConnection(clients[accepter], peeringId);
            await waitForStatus(clients, 'A', peeringId, (s) => s === 'Activated', `peering ${peeringId} to be Activated`, ctx.progress, ctx.signal);
          },
        },
        id,
      ),
    );
  }
  if (existing && bandwidth !== undefined && existing.bandwidth !== bandwidth && isOurs(existing.description)) {
    actions.push({
      ...base,
      id: BANDWIDTH_ACTION,
      account: 'A',
      change: 'update',
      title: `Set the bandwidth of VPC peering ${existing.instanceId}`,
      detail: { bandwidthMbps: fieldChange(existing.bandwidth ?? null, bandwidth) },
      dependsOn: actions.some((a) => a.id === ACCEPT_ACTION) ? [ACCEPT_ACTION] : [PEERING_ACTION],
      async apply(ctx) {
        const peer = await import('../../cloud/vpcpeer.js');
        await peer.modifyVpcPeerConnection(clients.A, { instanceId: existing.instanceId, bandwidth });
        await waitForStatus(clients, 'A', existing.instanceId, (s) => s === 'Activated', `peering ${existing.instanceId} bandwidth change`, ctx.progress, ctx.signal);
      },
    });
  }
  const after = actions.filter((a) => a.change !== 'noop').map((a) => a.id);
  return { actions, hop: { type: 'VpcPeer', id, after } };
}
