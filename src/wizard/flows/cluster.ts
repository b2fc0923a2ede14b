// The cluster: picked from A's clusters in every region (or typed), with kind, version, VPC and RRSA shown.
import { UserError } from '../../errors.js';
import type { AskPolicy } from '../policy.js';
import type { Choice, Prompter } from '../prompter.js';
import type { ClusterInfo, WizardSources } from '../sources.js';
import { clusterLabel, clusterProblem } from '../support.js';
import { clusterIdFormat } from '../validate.js';

export interface ClusterAnswer {
  config: { accountA: { region: string; clusterId: string } };
  cluster: ClusterInfo;
}

const TYPE_ID = '<enter an ID>';

/** The list's columns, aligned: name, kind and version, region, VPC, RRSA. */
function clusterChoices(clusters: readonly ClusterInfo[]): Choice<string>[] {
  const nameWidth = Math.max(4, ...clusters.map((c) => c.name.length));
  const labelWidth = Math.max(...clusters.map((c) => clusterLabel(c).length));
  const regionWidth = Math.max(...clusters.map((c) => c.regionId.length));
  return clusters.map((c) => ({
    value: c.clusterId,
    name: `${c.name.padEnd(nameWidth)}  ${clusterLabel(c).padEnd(labelWidth)}  ${c.regionId.padEnd(regionWidth)}  ${c.vpcId}  RRSA ${c.rrsaEnabled ? 'on' : 'off'}`,
    short: `${c.name} (${c.clusterId})`,
    description: `${c.clusterId} · ${c.state} · pods ${c.containerCidr || '?'} · services ${c.serviceCidr || '?'}`,
    disabled: clusterProblem(c),
  }));
}

async function typedCluster(p: Prompter, s: WizardSources, region: string | undefined): Promise<ClusterInfo> {
  let found: ClusterInfo | undefined;
  await p.input({
    id: 'accountA.clusterId',
    message: 'ACK cluster ID',
    validate: async (value) => {
      const format = clusterIdFormat(value);
      if (format !== true) return format;
      found = await s.cluster(value.trim(), region);
      if (!found) return `account A has no cluster ${value.trim()}${region ? ` in ${region}` : ''}`;
      return clusterProblem(found) ?? true;
    },
  });
  return found!;
}

export async function askCluster(p: Prompter, s: WizardSources, policy: AskPolicy, hint?: string): Promise<ClusterAnswer> {
  const givenId = policy.text('accountA.clusterId');
  const region = policy.asks('accountA.region') ? undefined : policy.text('accountA.region');
  let cluster: ClusterInfo | undefined;
  if (givenId && !policy.asks('accountA.clusterId')) {
    cluster = await p.busy(`Looking up cluster ${givenId}`, s.cluster(givenId, region));
    if (!cluster) throw new UserError(`${policy.origin('accountA.clusterId')}: account A has no such cluster${region ? ` in ${region}` : ''}.`);
    const problem = clusterProblem(cluster);
    if (problem) throw new UserError(`${policy.origin('accountA.clusterId')}: ${problem}.`);
  } else {
    const all = await p.busy('Looking up the ACK clusters of account A', s.clusters());
    const listed = all.filter((c) => !region || c.regionId === region);
    if (listed.length === 0) p.note(`  Account A has no ACK cluster${region ? ` in ${region}` : ''} that it can list; enter the ID instead.`, 'warn');
    const choices = [...clusterChoices(listed), { value: TYPE_ID, name: 'enter a cluster ID' }];
    const preferred = [givenId, hint].find((id) => listed.some((c) => c.clusterId === id && !clusterProblem(c)));
    const picked = await p.select({ id: 'accountA.cluster', message: 'ACK cluster (account A)', choices, default: preferred });
    cluster = picked === TYPE_ID ? await typedCluster(p, s, region) : listed.find((c) => c.clusterId === picked)!;
  }
  return { config: { accountA: { region: cluster.regionId || region || '', clusterId: cluster.clusterId } }, cluster };
}
