// cr (Container Registry 2018-12-01): instances, the Internet endpoint and its ACL, the VPC endpoint and linked VPCs.
// Namespaces, repositories, tags, logins and storage routing rules are in cr-repos.ts.
import type { CallContext, ProductModule, RpcHandler } from '../api.js';
import {
  allocateLinkIp,
  crState,
  internetStatus,
  isEnterprise,
  linkStatus,
  MAX_LINKED_VPCS,
  registryDomain,
  usedAddresses,
  type CrInstanceRecord,
  type CrModuleName,
} from '../state/cr.js';
import { vpcState } from '../state/vpc.js';
import { CR_CODES, CrFailure, crHandler, instanceOf, matches, moduleOf, ok, page, requireInternet } from './cr-common.js';
import { crRepoHandlers } from './cr-repos.js';

const systemDomain = (domain: string) => ({ Domain: domain, Type: 'SYSTEM' });

/** `a.b.c.d` or `a.b.c.d/n`; a bare address means the /32 (the docs' examples show both forms). */
function normaliseEntry(entry: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(entry.trim());
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || (m[5] !== undefined && Number(m[5]) > 32)) return undefined;
  return `${m.slice(1, 5).map(Number).join('.')}/${m[5] ?? '32'}`;
}

function requireEnterprise(instance: CrInstanceRecord): void {
  if (!isEnterprise(instance)) throw new CrFailure(CR_CODES.specNotSupported);
}

function instanceSummary(instance: CrInstanceRecord) {
  return {
    InstanceId: instance.instanceId,
    InstanceName: instance.name,
    InstanceSpecification: instance.specification,
    InstanceStatus: instance.status,
    ResourceGroupId: instance.resourceGroupId,
    Tags: instance.tags,
  };
}

/** The Internet endpoint as GetInstanceEndpoint/ListInstanceEndpoint show it (Personal Edition: always open). */
function internetView(ctx: CallContext, instance: CrInstanceRecord, module: CrModuleName) {
  const domains = [systemDomain(registryDomain(instance, 'internet', module))];
  if (!isEnterprise(instance)) return { Enable: true, Status: 'RUNNING', AclEnable: false, Domains: domains, AclEntries: [] as { Entry: string; Comment: string }[] };
  const internet = instance.modules[module].internet;
  const status = internetStatus(ctx.world, internet);
  return {
    Enable: internet.enabled,
    ...(status ? { Status: status } : {}),
    AclEnable: internet.enabled,
    Domains: domains,
    AclEntries: internet.aclEntries.map((a) => ({ Entry: a.entry, Comment: a.comment })),
  };
}

const instanceHandlers: Record<string, RpcHandler> = {
  GetInstance: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    return ok({ ...instanceSummary(instance), CreateTime: instance.createdAtMs, ModifiedTime: instance.modifiedAtMs });
  },

  ListInstance: (ctx, p) => {
    const all = Object.values(crState(ctx.world, ctx.caller.accountId).instances)
      .filter((i) => i.regionId === ctx.region && matches(i.name, p.InstanceName))
      .filter((i) => (p.InstanceStatus ? i.status === p.InstanceStatus : true) && (p.ResourceGroupId ? i.resourceGroupId === p.ResourceGroupId : true))
      .sort((a, b) => b.createdAtMs - a.createdAtMs);
    const { items, pageNo, pageSize } = page(all, p);
    return ok({
      PageNo: pageNo,
      PageSize: pageSize,
      TotalCount: all.length,
      Instances: items.map((i) => ({ ...instanceSummary(i), RegionId: i.regionId, CreateTime: String(i.createdAtMs), ModifiedTime: String(i.modifiedAtMs) })),
    });
  },

  GetInstanceCount: (ctx) => ok({ Count: Object.values(crState(ctx.world, ctx.caller.accountId).instances).filter((i) => i.regionId === ctx.region).length }),

  ListInstanceEndpoint: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const module = moduleOf(p.ModuleName);
    const summary = p.Summary === true;
    const internet = internetView(ctx, instance, module);
    const links = instance.modules[module].linkedVpcs.filter((l) => linkStatus(ctx.world, l) !== 'DELETING');
    const vpc = {
      EndpointType: 'vpc',
      Enable: true,
      Status: 'RUNNING',
      AclEnable: isEnterprise(instance),
      Domains: [systemDomain(registryDomain(instance, 'vpc', module))],
      ...(summary ? {} : { LinkedVpcs: links.map((l) => ({ VpcId: l.vpcId })) }),
    };
    const { AclEntries, ...internetRest } = internet;
    // ListInstanceEndpoint answers `internet`/`vpc` in lower case (metadata example) and ACL entries without comments.
    const internetEndpoint = { EndpointType: 'internet', ...internetRest, ...(summary ? {} : { AclEntries: AclEntries.map((a) => ({ Entry: a.Entry })) }) };
    return ok({ Endpoints: [internetEndpoint, vpc] });
  },

  GetInstanceEndpoint: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    requireInternet(p.EndpointType);
    return ok(internetView(ctx, instance, moduleOf(p.ModuleName)));
  },

  UpdateInstanceEndpointStatus: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    requireInternet(p.EndpointType);
    requireEnterprise(instance);
    const internet = instance.modules[moduleOf(p.ModuleName)].internet;
    const enable = p.Enable === true;
    if (internet.enabled !== enable) {
      internet.enabled = enable;
      internet.changedAtMs = ctx.world.data.nowMs;
      instance.modifiedAtMs = ctx.world.data.nowMs;
      // "After you enable access over the Internet, 127.0.0.1/32 is automatically added to the whitelist" (ACR docs).
      if (enable && internet.aclEntries.length === 0) internet.aclEntries.push({ entry: '127.0.0.1/32', comment: '' });
    }
    return ok();
  },

  CreateInstanceEndpointAclPolicy: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    requireInternet(p.EndpointType);
    requireEnterprise(instance);
    const internet = instance.modules[moduleOf(p.ModuleName)].internet;
    const entry = normaliseEntry(String(p.Entry));
    if (!entry) throw new CrFailure(CR_CODES.paramInvalid);
    const status = internetStatus(ctx.world, internet);
    if (!status) throw new CrFailure(CR_CODES.endpointDisabled);
    if (internet.aclEntries.some((a) => normaliseEntry(a.entry) === entry)) throw new CrFailure(CR_CODES.aclExists);
    // While the endpoint is still CREATING the service accepts the call and drops the entry (Terraform provider,
    // WaitCrEndpointRunning): callers must wait for RUNNING first.
    if (status === 'RUNNING') internet.aclEntries.push({ entry: String(p.Entry).trim(), comment: String(p.Comment ?? '') });
    return ok();
  },

  DeleteInstanceEndpointAclPolicy: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    requireInternet(p.EndpointType);
    requireEnterprise(instance);
    const internet = instance.modules[moduleOf(p.ModuleName)].internet;
    const entry = normaliseEntry(String(p.Entry));
    const index = entry ? internet.aclEntries.findIndex((a) => normaliseEntry(a.entry) === entry) : -1;
    if (index < 0) throw new CrFailure(CR_CODES.aclNotFound);
    internet.aclEntries.splice(index, 1);
    return ok();
  },

  GetInstanceVpcEndpoint: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const module = moduleOf(p.ModuleName);
    return ok({
      Enable: true,
      Domains: [registryDomain(instance, 'vpc', module)],
      LinkedVpcs: instance.modules[module].linkedVpcs.map((l) => ({
        VpcId: l.vpcId,
        VswitchId: l.vswitchId,
        Ip: l.ip,
        Status: linkStatus(ctx.world, l),
        DefaultAccess: false,
      })),
      ModuleName: module,
    });
  },

  CreateInstanceVpcEndpointLinkedVpc: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    requireEnterprise(instance);
    const module = moduleOf(p.ModuleName);
    const accountId = ctx.caller.accountId;
    const vpcs = vpcState(ctx.world, accountId);
    // The VPC must be the instance owner's, in the instance's region: cross-account VPCs are reached by peering or CEN.
    const vpc = vpcs.vpcs[String(p.VpcId)];
    if (!vpc || vpc.regionId !== instance.regionId) throw new CrFailure(CR_CODES.vpcNotFound);
    const vswitch = vpcs.vswitches[String(p.VswitchId)];
    if (!vswitch || vswitch.vpcId !== vpc.vpcId) throw new CrFailure(CR_CODES.vswitchNotFound);
    const links = instance.modules[module].linkedVpcs;
    if (links.some((l) => l.vpcId === vpc.vpcId)) throw new CrFailure(CR_CODES.linkExists);
    const total = Object.values(instance.modules).reduce((n, m) => n + m.linkedVpcs.length, 0);
    if (total >= MAX_LINKED_VPCS) throw new CrFailure(CR_CODES.linkQuotaExceeded);
    const ip = allocateLinkIp(vswitch.cidrBlock, usedAddresses(ctx.world, accountId, vswitch.vSwitchId));
    if (!ip) throw new CrFailure(CR_CODES.vswitchIpExhausted);
    links.push({ vpcId: vpc.vpcId, vswitchId: vswitch.vSwitchId, ip, createdAtMs: ctx.world.data.nowMs, createDnsRecord: p.EnableCreateDNSRecordInPvzt === true });
    instance.modifiedAtMs = ctx.world.data.nowMs;
    return ok();
  },

  DeleteInstanceVpcEndpointLinkedVpc: (ctx, p) => {
    const instance = instanceOf(ctx, p.InstanceId);
    const module = moduleOf(p.ModuleName);
    const link = instance.modules[module].linkedVpcs.find((l) => l.vpcId === p.VpcId && l.vswitchId === p.VswitchId && l.deletingAtMs === undefined);
    if (!link) throw new CrFailure(CR_CODES.linkNotFound);
    link.deletingAtMs = ctx.world.data.nowMs;
    instance.modifiedAtMs = ctx.world.data.nowMs;
    return ok();
  },
};

const rpc: Record<string, RpcHandler> = {};
for (const [name, handler] of Object.entries(instanceHandlers)) rpc[name] = crHandler(handler);
Object.assign(rpc, crRepoHandlers);

export const cr: ProductModule = { product: 'cr', rpc, roa: {} };
