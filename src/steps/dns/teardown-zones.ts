// `destroy` for PrivateZone: our records go, and a zone goes only when it is provably ours.
//
// How a zone is proven ours (AddZone cannot carry our marker, see src/cloud/pvtz.ts): it is named exactly the
// registry's VPC domain (discovery returns no other), it holds at least one record and every record in it carries
// our remark, and no VPC but A's is bound to it. Such a zone is unbound from A's VPC and deleted (DeleteZone takes
// its records with it). Any other zone of that name loses only our records and is kept, its bindings too, with a
// noop saying why. An empty zone proves nothing (it may be the user's, or ours after a destroy killed midway), so
// it is kept as well.
import type { AccountClient } from '../../cloud/session.js';
import type { Action, ApplyContext } from '../../plan/action.js';
import { waitFor } from '../../plan/wait.js';
import { MARKER, isOurs } from '../marker.js';
import type { StepClients } from '../step.js';
import type { DnsFacts, ZoneFacts } from './facts.js';

const UNBIND_TIMEOUT_MS = 5 * 60_000;

export type Ownership = { ours: true } | { ours: false; why: string };

const recordText = (r: { rr: string; type: string; value: string }) => `${r.rr} ${r.type} ${r.value}`;

/** Whether the zone is provably ours (see the top of this file), and if not, why not. */
export function zoneOwnership(zone: Pick<ZoneFacts, 'info' | 'records'>, vpcA: string): Ownership {
  const reasons: string[] = [];
  const theirs = zone.records.filter((r) => !isOurs(r.remark));
  if (zone.records.length === 0) reasons.push('it is empty, so nothing in it shows acr-xaccount made it');
  else if (theirs.length > 0) {
    const shown = theirs.slice(0, 3).map(recordText).join(', ');
    reasons.push(`it holds ${theirs.length} record(s) not made by acr-xaccount: ${shown}${theirs.length > 3 ? ', ...' : ''}`);
  }
  const others = zone.info.bindVpcs.filter((v) => v.vpcId !== vpcA).map((v) => v.vpcId);
  if (others.length > 0) reasons.push(`other VPCs use it: ${others.join(', ')}`);
  return reasons.length === 0 ? { ours: true } : { ours: false, why: reasons.join('; ') };
}

/** Unbinds A's VPC from the zone (keeping any other binding) and waits until the zone shows it unbound. */
async function unbindA(A: AccountClient, zoneId: string, vpcA: string, pollIntervalMs: number, ctx: ApplyContext): Promise<void> {
  const pvtz = await import('../../cloud/pvtz.js');
  await pvtz.removeZoneVpcBinding(A, zoneId, vpcA);
  await waitFor(
    async (report) => {
      const bound = (await pvtz.describeZoneInfo(A, zoneId))?.bindVpcs.some((v) => v.vpcId === vpcA) ?? false;
      report(bound ? 'still bound' : 'unbound');
      return bound ? undefined : true;
    },
    { what: `zone ${zoneId} unbinding from ${vpcA}`, intervalMs: pollIntervalMs, timeoutMs: UNBIND_TIMEOUT_MS, progress: ctx.progress, signal: ctx.signal },
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
  const actions: Action[] = [];
  for (const zone of [...f.zones].sort((a, b) => a.info.zoneId.localeCompare(b.info.zoneId))) {
    const { zoneId, zoneName } = zone.info;
    const ours = zone.records.filter((r) => isOurs(r.remark));
    const ownership = zoneOwnership(zone, f.vpcA);
    const boundToA = zone.info.bindVpcs.some((v) => v.vpcId === f.vpcA);

    if (ownership.ours) {
      const unbindId = `dns.destroy.zone-binding.${zoneId}`;
      if (boundToA) {
        actions.push({
          ...base,
          id: unbindId,
          change: 'update',
          title: `Unbind PrivateZone zone ${zoneName} from A's VPC ${f.vpcA}`,
          detail: { zone: zoneId, vpc: f.vpcA, region: f.regionA },
          apply: (ctx) => unbindA(A, zoneId, f.vpcA, clients.pollIntervalMs, ctx),
        });
      }
      actions.push({
        ...base,
        id: `dns.destroy.zone.${zoneId}`,
        change: 'delete',
        title: `Delete PrivateZone zone ${zoneName} (${zoneId})`,
        detail: { zone: zoneId, name: zoneName, records: ours.map(recordText), ours: `named exactly the registry's VPC domain; every record in it carries ${MARKER}` },
        ...(boundToA ? { dependsOn: [unbindId] } : {}),
        async apply(ctx) {
          const pvtz = await import('../../cloud/pvtz.js');
          const info = await pvtz.describeZoneInfo(A, zoneId);
          if (!info) return;
          const records = await pvtz.describeZoneRecords(A, zoneId);
          const now = zoneOwnership({ info, records }, f.vpcA);
          if (!now.ours) {
            // Changed since the plan: only our records go, and the run stops so the next plan shows the zone kept.
            for (const r of records.filter((x) => isOurs(x.remark))) await pvtz.deleteZoneRecord(A, r.recordId);
            throw new Error(`PrivateZone zone ${zoneName} (${zoneId}) changed since the plan and is kept (${now.why}); our records in it were deleted. Re-run destroy`);
          }
          if (info.bindVpcs.length > 0) await unbindA(A, zoneId, f.vpcA, clients.pollIntervalMs, ctx);
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
    actions.push({
      ...base,
      id: `dns.destroy.zone.${zoneId}`,
      change: 'noop',
      title: `Keep PrivateZone zone ${zoneName} (${ownership.why})`,
      detail: {
        zone: zoneId,
        ...(zone.info.bindVpcs.length > 0 ? { boundTo: zone.info.bindVpcs.map((v) => v.vpcId) } : {}),
        ...(boundToA ? { note: `A's VPC ${f.vpcA} stays bound to it: unbind it by hand if acr-xaccount bound it` } : {}),
      },
    });
  }
  return actions;
}
