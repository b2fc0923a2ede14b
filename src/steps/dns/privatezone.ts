// DNS through PrivateZone (seed: "add an internal DNS resolution record"): a zone named exactly the registry's VPC
// domain (a parent domain would capture every other registry's name in the region), an `@` A record to the
// registry's address, bound to A's VPC. A zone of that name that already exists is reused; bindings to other
// VPCs and records that are not ours are kept; a record of someone else's that answers differently is refused.
import type { AccountClient } from '../../cloud/session.js';
import type { Action } from '../../plan/action.js';
import { fieldChange } from '../../plan/action.js';
import { MARKER, isOurs } from '../marker.js';
import { known, later, read, show, withDeps, type Ref } from '../network/refs.js';
import { vpcOfA, type DnsFacts, type ZoneFacts } from './facts.js';

export const ZONE_ACTION = 'dns.zone';
const TTL_SECONDS = 60;

const isApex = (r: { rr: string; type: string }) => r.rr === '@' && r.type === 'A';

/** The zones named exactly `domain`, with their bindings and records. */
export async function discoverZones(A: AccountClient, domain: string): Promise<ZoneFacts[]> {
  const pvtz = await import('../../cloud/pvtz.js');
  const same = (name: string) => name.replace(/\.$/, '').toLowerCase() === domain.toLowerCase();
  const zones = (await pvtz.describeZones(A, { keyword: domain, exact: true })).filter((z) => same(z.zoneName));
  const facts = await Promise.all(
    zones.map(async (z) => {
      const [info, records] = await Promise.all([pvtz.describeZoneInfo(A, z.zoneId), pvtz.describeZoneRecords(A, z.zoneId)]);
      return info ? { info, records } : undefined;
    }),
  );
  return facts.filter((z): z is ZoneFacts => z !== undefined);
}

/** The zone to use: the one bound to A's VPC (a VPC takes one zone per name), else one holding our record, else any. */
export function chooseZone(f: DnsFacts): ZoneFacts | undefined {
  const bound = f.zones.find((z) => z.info.bindVpcs.some((v) => v.vpcId === f.vpcA));
  return bound ?? f.zones.find((z) => z.records.some((r) => isApex(r) && isOurs(r.remark))) ?? f.zones[0];
}

/** A record of someone else's that answers the domain with another address: we never overwrite it. */
export function zoneProblems(f: DnsFacts): string[] {
  const zone = chooseZone(f);
  if (!zone || !f.registryIp) return [];
  const theirs = zone.records.find((r) => isApex(r) && !isOurs(r.remark) && r.value !== f.registryIp);
  if (!theirs) return [];
  return [
    `PrivateZone zone ${zone.info.zoneId} (${zone.info.zoneName}) already answers with ${theirs.value} (record ${theirs.recordId}, not made by acr-xaccount), ` +
      `but the registry is at ${f.registryIp}: correct or delete that record, then re-run`,
  ];
}

export function planPrivateZone(f: DnsFacts, A: AccountClient, ip: Ref): Action[] {
  const zone = chooseZone(f);
  const zoneId: Ref = zone ? known(zone.info.zoneId) : later(ZONE_ACTION, 'zoneId');
  const base = { step: 'dns' as const, account: 'A' as const };
  // A new zone waits for the registry's address too: nothing of DNS is made before the network step has checked it.
  const actions: Action[] = [
    withDeps({
      ...base,
      id: ZONE_ACTION,
      change: zone ? 'noop' : 'create',
      title: zone ? `PrivateZone zone ${zone.info.zoneName} (${zone.info.zoneId})` : `Create PrivateZone zone ${f.domain}`,
      detail: { name: f.domain, id: show(zoneId), ...(zone ? {} : { proxyPattern: 'ZONE' }) },
      async apply() {
        const pvtz = await import('../../cloud/pvtz.js');
        const found = await pvtz.findZoneByName(A, f.domain);
        return { zoneId: found?.zoneId ?? (await pvtz.addZone(A, { zoneName: f.domain, proxyPattern: 'ZONE' })).zoneId };
      },
    }, ip),
  ];

  const apex = zone?.records.find((r) => isApex(r) && isOurs(r.remark)) ?? zone?.records.find((r) => isApex(r));
  const want = f.registryIp;
  const recordChange = !apex ? 'create' : want && apex.value === want ? 'noop' : 'update';
  actions.push(
    withDeps(
      {
        ...base,
        id: 'dns.zone-record',
        change: recordChange,
        title: `A record @ -> ${want ?? 'the registry address'} in ${f.domain}`,
        detail: { rr: '@', type: 'A', value: recordChange === 'update' ? fieldChange(apex!.value, show(ip)) : show(ip), ttl: TTL_SECONDS, ...(apex ? {} : { remark: MARKER }) },
        dependsOn: [ZONE_ACTION],
        async apply(ctx) {
          const pvtz = await import('../../cloud/pvtz.js');
          const id = read(ctx, zoneId);
          const value = read(ctx, ip);
          const current = (await pvtz.describeZoneRecords(A, id, { keyword: '@' })).filter(isApex);
          const mine = current.find((r) => isOurs(r.remark)) ?? current[0];
          if (mine?.value === value) return;
          if (mine && !isOurs(mine.remark)) throw new Error(`zone ${id} already answers ${f.domain} with ${mine.value} (record ${mine.recordId}, not made by acr-xaccount): correct or delete it, then re-run`);
          if (mine) await pvtz.updateZoneRecord(A, { recordId: mine.recordId, rr: '@', type: 'A', value, ttl: TTL_SECONDS });
          else await pvtz.addZoneRecord(A, { zoneId: id, rr: '@', type: 'A', value, ttl: TTL_SECONDS, remark: MARKER });
        },
      },
      zoneId,
      ip,
    ),
  );

  const vpcA = vpcOfA(f);
  const bound = zone?.info.bindVpcs.some((v) => v.vpcId === vpcA) ?? false;
  actions.push(
    withDeps(
      {
        ...base,
        id: 'dns.zone-binding',
        change: bound ? 'noop' : zone ? 'update' : 'create',
        title: `Bind the zone to A's VPC ${vpcA}`,
        detail: { zone: show(zoneId), vpc: vpcA, region: f.regionA, ...(zone && zone.info.bindVpcs.length > 0 ? { keeps: zone.info.bindVpcs.map((v) => v.vpcId) } : {}) },
        dependsOn: [ZONE_ACTION],
        async apply(ctx) {
          const pvtz = await import('../../cloud/pvtz.js');
          // Merge: BindZoneVpc replaces the whole list, so the current bindings are sent along with A's VPC.
          await pvtz.addZoneVpcBinding(A, read(ctx, zoneId), { vpcId: vpcA, regionId: f.regionA });
        },
      },
      zoneId,
    ),
  );
  return actions;
}
