// The registry: B's region (default: the cluster's), then an instance picked from B's ACR instances there (or typed).
import { UserError } from '../../errors.js';
import type { AskPolicy } from '../policy.js';
import type { Choice, Prompter } from '../prompter.js';
import type { ClusterInfo, RegistryInstanceInfo, WizardSources } from '../sources.js';
import { editionLabel, registryProblem } from '../support.js';
import { instanceIdFormat, regionFormat } from '../validate.js';

export interface RegistryAnswer {
  config: { accountB: { region: string; instanceId: string } };
  registry: RegistryInstanceInfo;
}

const TYPE_ID = '<enter an ID>';

function registryChoices(instances: readonly RegistryInstanceInfo[]): Choice<string>[] {
  const nameWidth = Math.max(...instances.map((i) => i.name.length));
  return instances.map((i) => ({
    value: i.instanceId,
    name: `${i.name.padEnd(nameWidth)}  ${i.instanceId}  ${editionLabel(i)}  ${i.regionId}`,
    short: `${i.name} (${i.instanceId})`,
    description: `${i.status}${i.createdAt ? ` · created ${i.createdAt.toISOString().slice(0, 10)}` : ''}`,
    disabled: registryProblem(i),
  }));
}

/** B's region: where B has an instance the helper can use. Checked as typed, so a wrong region is caught at once. */
async function askRegion(p: Prompter, s: WizardSources, policy: AskPolicy, suggestion: string): Promise<string> {
  const answer = await p.input({
    id: 'accountB.region',
    message: 'Region of the ACR instance (account B)',
    default: policy.text('accountB.region') ?? suggestion,
    validate: async (value) => {
      const format = regionFormat(value);
      if (format !== true) return format;
      try {
        const found = await s.registries(value.trim());
        return found.length > 0 || policy.text('accountB.instanceId') ? true : `account B has no ACR instance in ${value.trim()}: enter the registry's region`;
      } catch (error) {
        return `could not list B's instances in ${value.trim()}: ${(error as Error).message}`;
      }
    },
  });
  return answer.trim();
}

async function typedInstance(p: Prompter, s: WizardSources, region: string): Promise<RegistryInstanceInfo> {
  let found: RegistryInstanceInfo | undefined;
  await p.input({
    id: 'accountB.instanceId',
    message: 'ACR instance ID',
    validate: async (value) => {
      const format = instanceIdFormat(value);
      if (format !== true) return format;
      found = await s.registry(value.trim(), region);
      if (!found) return `account B has no ACR instance ${value.trim()} in ${region}`;
      return registryProblem(found) ?? true;
    },
  });
  return found!;
}

export async function askRegistry(p: Prompter, s: WizardSources, policy: AskPolicy, cluster: ClusterInfo, hints: { region?: string; instanceId?: string } = {}): Promise<RegistryAnswer> {
  const region = policy.asks('accountB.region') ? await askRegion(p, s, policy, hints.region ?? cluster.regionId) : policy.text('accountB.region')!;
  const givenId = policy.text('accountB.instanceId');
  let registry: RegistryInstanceInfo | undefined;
  if (givenId && !policy.asks('accountB.instanceId')) {
    registry = await p.busy(`Looking up instance ${givenId}`, s.registry(givenId, region));
    if (!registry) throw new UserError(`${policy.origin('accountB.instanceId')}: account B has no such ACR instance in ${region}.`);
    const problem = registryProblem(registry);
    if (problem) throw new UserError(`${policy.origin('accountB.instanceId')}: ${problem}.`);
  } else {
    const instances = await p.busy(`Looking up the ACR instances of account B in ${region}`, s.registries(region));
    const choices = [...registryChoices(instances), { value: TYPE_ID, name: 'enter an instance ID' }];
    const preferred = [givenId, hints.instanceId].find((id) => instances.some((i) => i.instanceId === id && !registryProblem(i)));
    const picked = await p.select({ id: 'accountB.instance', message: 'ACR instance (account B)', choices, default: preferred });
    registry = picked === TYPE_ID ? await typedInstance(p, s, region) : instances.find((i) => i.instanceId === picked)!;
  }
  return { config: { accountB: { region, instanceId: registry.instanceId } }, registry };
}
