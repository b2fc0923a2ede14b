// `destroy` for PrivateZone: our records go, and a zone goes only when it is provably ours.
//
// How a zone is proven ours (AddZone cannot carry our marker, see src/cloud/pvtz.ts): it is named exactly the
// registry's VPC domain (discovery returns no other), it holds at least one record and every record in it carries
// our remark, and no VPC but A's is bound to it. Such a zone is unbound from A's VPC and deleted (DeleteZone takes
// its records with it). Any other zone of that name loses only our records and is kept, its bindings too, with a
// noop saying why. An empty zone proves nothing (it may be the user's, or ours after a destroy killed midway), so
// it is kept as well.
//
// With A's cluster gone (deleted before destroy), A's VPC is unknown, so "no VPC but A's" becomes: at most one VPC
// is bound, and it has the shape of the one binding apply makes — in A's region, A's own (not a cross-account
// binding), a standard VPC. That VPC is shown in the plan, unbound first, then the zone is deleted; the delete's
// re-check takes exactly that VPC (or none, if the plan showed none) as A's, so a VPC bound since the plan keeps
// the zone. A zone with two or more VPCs is kept (our records go): which of them was A's cannot be told.
import type { BoundVpc } from '../../cloud/pvtz.js';
import type { AccountClient } from '../../cloud/session.js';
import type { Action, ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import { MARKER, isOurs } from '../marker.js';
import type { StepClients } from '../step.js';
import type { DnsFacts, ZoneFacts } from './facts.js';

const UNBIND_TIMEOUT_MS = 5 * 60_000;

export type Ownership = { ours: true } | { ours: false; why: string };

const recordText = (r: { rr: string; type: string; value: string }) => `${r.rr} ${r.type} ${r.value}`;

/**
 * Which VPCs a zone of ours may be bound to. `only`: these and no other (A's VPC while the cluster exists; at apply
 * time with it gone, the VPC the plan showed, or none). `oneOfA`: A's cluster is gone, so its VPC is unknown: at most
 * one VPC, of the shape apply binds (in A's region, A's own, STANDARD).
 */
export type BindingRule = { only: readonly string[] } | { oneOfA: { regionA: string; accountA: string } };

export const bindingRule = (f: Pick<DnsFacts, 'vpcA' | 'regionA' | 'accountA'>): BindingRule =>
  f.vpcA !== undefined ? { only: [f.vpcA] } : { oneOfA: { regionA: f.regionA, accountA: f.accountA } };

/** Why the one VPC bound to a zone cannot be the one apply bound for A, if it cannot. */
function notAsApplyBinds(v: BoundVpc, a: { regionA: string; accountA: string }): string | undefined {
  if (v.regionId !== a.regionA) return `it is in ${v.regionId}, not in A's region ${a.regionA}`;
  if (v.vpcUserId && v.vpcUserId !== a.accountA) return `it is account ${v.vpcUserId}'s, not A's`;
  if (v.vpcType && v.vpcType !== 'STANDARD') return `it is an ${v.vpcType} VPC`;
  return undefined;
}

/** Why the zone's bindings do not prove it ours under the rule, if they do not. */
function bindingProblem(vpcs: readonly BoundVpc[], rule: BindingRule): string | undefined {
  if ('only' in rule) {
    const others = vpcs.filter((v) => !rule.only.includes(v.vpcId)).map((v) => v.vpcId);
    return others.length > 0 ? `other VPCs use it: ${others.join(', ')}` : undefined;
  }
  if (vpcs.length > 1) return `A's cluster is gone, so which VPC is A's cannot be told, and ${vpcs.length} VPCs use it: ${vpcs.map((v) => v.vpcId).join(', ')}`;
  const [one] = vpcs;
  const why = one && notAsApplyBinds(one, rule.oneOfA);
  return one && why ? `A's cluster is gone, and the VPC that uses it, ${one.vpcId}, cannot be A's: ${why}` : undefined;
}

/** Whether the zone is provably ours (see the top of this file), and if not, why not. */
export function zoneOwnership(zone: Pick<ZoneFacts, 'info' | 'records'>, rule: BindingRule): Ownership {
  const reasons: string[] = [];
  const theirs = zone.records.filter((r) => !isOurs(r.remark));
  if (zone.records.length === 0) reasons.push('it is empty, so nothing in it shows acr-xaccount made it');
  else if (theirs.length > 0) {
    const shown = theirs.slice(0, 3).map(recordText).join(', ');
    reasons.push(`it holds ${theirs.length} record(s) not made by acr-xaccount: ${shown}${theirs.length > 3 ? ', ...' : ''}`);
  }
  const bindings = bindingProblem(zone.info.bindVpcs, rule);
  if (bindings) reasons.push(bindings);
  return reasons.length === 0 ? { ours: true } : { ours: false, why: reasons.join('; ') };
}

/** Unbinds the VPC from the zone (keeping any other binding) and waits until the zone shows it unbound. */
async function unbindVpc(A: AccountClient, zoneId: string, vpcId: string, pollIntervalMs: number, ctx: ApplyContext): Promise<void> {
  const pvtz = await import('../../cloud/pvtz.js');
  await pvtz.removeZoneVpcBinding(A, zoneId, vpcId);
  await waitFor(
    async (report) => {
      const bound = (await pvtz.describeZoneInfo(A, zoneId))?.bindVpcs.some((v) => v.vpcId === vpcId) ?? false;
      report(bound ? 'still bound' : 'unbound');
      return bound ? undefined : true;
    },
    { what: `zone ${zoneId} unbinding from ${vpcId}`, intervalMs: pollIntervalMs, timeoutMs: UNBIND_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
  );
}

/** Deletes the record if it is still there and still ours. */
async function deleteOurRecord(A: AccountClient, zoneId: string, record: { recordId: number; rr: string }): Promise<void> {
  const pvtz = await import('../../cloud/pvtz.js');
  if (!(await pvtz.describeZoneInfo(A, zoneId))) return;
  const current = (await pvtz.describeZoneRecords(A, zoneId, { keyword: record.rr })).find((r) => r.recordId === record.recordId);
  if (current && isOurs(current.remark)) await pvtz.deleteZoneRecord(A, record.recordId);
}

export function teardownZones(f: DnsFacts, clients: StepClients): Action[] {
  const A = clients.A;
  const base = { step: 'dns' as const, account: 'A' as const };
  // Cluster gone: proven ours by every record ours AND at most one VPC bound, of the shape apply binds (see the top).
  const rule = bindingRule(f);
  const actions: Action[] = [];
  for (const zone of [...f.zones].sort((a, b) => a.info.zoneId.localeCompare(b.info.zoneId))) {
    const { zoneId, zoneName } = zone.info;
    const ours = zone.records.filter((r) => isOurs(r.remark));
    const ownership = zoneOwnership(zone, rule);
    const boundToA = f.vpcA !== undefined && zone.info.bindVpcs.some((v) => v.vpcId === f.vpcA);

    if (ownership.ours) {
      // A zone proven ours has at most one VPC, A's (with the cluster gone: the one taken as A's, see the top).
      const bound = zone.info.bindVpcs[0];
      const unbindId = `dns.destroy.zone-binding.${zoneId}`;
      if (bound) {
        actions.push({
          ...base,
          id: unbindId,
          change: 'update',
          title: f.vpcA !== undefined
            ? `Unbind PrivateZone zone ${zoneName} from A's VPC ${f.vpcA}`
            : `Unbind PrivateZone zone ${zoneName} from VPC ${bound.vpcId} (the zone's only VPC, taken as A's: A's cluster is gone)`,
          detail: { zone: zoneId, vpc: bound.vpcId, region: f.regionA },
          apply: (ctx) => unbindVpc(A, zoneId, bound.vpcId, clients.pollIntervalMs, ctx),
        });
      }
      const proof = f.vpcA !== undefined
        ? ''
        : `; A's cluster is gone: ${bound ? `no VPC but ${bound.vpcId} (in A's region, A's own)` : 'no VPC'} is bound to it`;
      // The apply's re-check: the VPC the plan showed (A's, or the one taken as A's) and no other.
      const recheck: BindingRule = { only: f.vpcA !== undefined ? [f.vpcA] : bound ? [bound.vpcId] : [] };
      actions.push({
        ...base,
        id: `dns.destroy.zone.${zoneId}`,
        change: 'delete',
        title: `Delete PrivateZone zone ${zoneName} (${zoneId})`,
        detail: { zone: zoneId, name: zoneName, records: ours.map(recordText), ours: `named exactly the registry's VPC domain; every record in it carries ${MARKER}${proof}` },
        ...(bound ? { dependsOn: [unbindId] } : {}),
        async apply(ctx) {
          const pvtz = await import('../../cloud/pvtz.js');
          const info = await pvtz.describeZoneInfo(A, zoneId);
          if (!info) return;
          const records = await pvtz.describeZoneRecords(A, zoneId);
          const now = zoneOwnership({ info, records }, recheck);
          if (!now.ours) {
            // Changed since the plan: only our records go, and the run stops so the next plan shows the zone kept.
            for (const r of records.filter((x) => isOurs(x.remark))) await pvtz.deleteZoneRecord(A, r.recordId);
            throw new Error(`PrivateZone zone ${zoneName} (${zoneId}) changed since the plan and is kept (${now.why}); our records in it were deleted. Re-run destroy`);
          }
          for (const v of info.bindVpcs) await unbindVpc(A, zoneId, v.vpcId, clients.pollIntervalMs, ctx);
          try {
            await pvtz.deleteZone(A, zoneId);
          } catch (error) {
            const { isNotFound } = await import('../../cloud/errors.js');
            if (!isNotFound(error, ...pvtz.ZONE_NOT_FOUND)) throw error;
          }
        },
      });
      continue;
    }

    for (const record of ours) {
      actions.push({
        ...base,
        id: `dns.destroy.zone-record.${record.recordId}`,
        change: 'delete',
        title: `Delete ${record.type} record ${record.rr} -> ${record.value} in PrivateZone zone ${zoneName}`,
        detail: { zone: zoneId, recordId: record.recordId, rr: record.rr, type: record.type, value: record.value, remark: record.remark ?? '' },
        apply: () => deleteOurRecord(A, zoneId, record),
      });
    }
    const note = boundToA
      ? `A's VPC ${f.vpcA} stays bound to it: unbind it by hand if acr-xaccount bound it`
      : f.vpcA === undefined && zone.info.bindVpcs.length > 0
        ? "A's cluster is gone, so which of these VPCs was A's cannot be told: unbind A's by hand if acr-xaccount bound it"
        : undefined;
    actions.push({
      ...base,
      id: `dns.destroy.zone.${zoneId}`,
      change: 'noop',
      title: `Keep PrivateZone zone ${zoneName} (${ownership.why})`,
      detail: {
        zone: zoneId,
        ...(zone.info.bindVpcs.length > 0 ? { boundTo: zone.info.bindVpcs.map((v) => v.vpcId) } : {}),
        ...(note ? { note } : {}),
      },
    });
  }
  return actions;
}
