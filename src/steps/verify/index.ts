// The verify step (seed: "Verify the result"): pull an image of B's instance in A's cluster through the
// domain the setup serves, and on failure name the broken link and its fix. `destroy` removes the Deployment a
// `verify --keep` left (teardown.ts).
import { listRepoTag, listRepository } from '../../cloud/cr.js';
import type { Config } from '../../config/schema.js';
import type { DeploymentInfo } from '../../kube/workloads.js';
import type { Action } from '../../plan/action.js';
import { registryInternetDomain, registryVpcDomain } from '../network/registry-vpc.js';
import type { BaseFacts, StepClients, StepModule } from '../step.js';
import { runTestPull, VERIFY_DEPLOYMENT } from './pull.js';
import { discoverVerifyTeardown, verifyTeardown } from './teardown.js';

export interface VerifyFacts {
  /** The domain pods pull with: the VPC domain (peering, CEN) or the Internet domain (public). */
  domain: string;
  /** The full image reference to pull, when one is known. */
  image?: string;
  /** Where the image came from: the config (--image) or the instance's first repository and tag. */
  source?: 'config' | 'discovered';
  /** `destroy` only: the test Deployment a `verify --keep` left, when there is one. */
  deployment?: DeploymentInfo;
}

/** `ns/repo:tag` gets the registry domain in front; a reference that names a host (`a.b/ns/repo`) is kept. */
export function imageReference(image: string, domain: string): string {
  const first = image.split('/')[0] ?? '';
  const namesHost = image.split('/').length > 2 && (first.includes('.') || first.includes(':'));
  return namesHost ? image : `${domain}/${image}`;
}

export function pullDomain(config: Config, base: BaseFacts): string {
  return config.network.mode === 'public' ? registryInternetDomain(base) : registryVpcDomain(base);
}

async function discoverVerify(config: Config, base: BaseFacts, clients: StepClients): Promise<VerifyFacts> {
  const domain = pullDomain(config, base);
  if (config.verify.image) return { domain, image: imageReference(config.verify.image, domain), source: 'config' };
  const instanceId = base.registry.instance.instanceId;
  // The first repository with a tag: any image of the instance proves the path and the credentials.
  for (const repo of await listRepository(clients.B, instanceId)) {
    const tag = (await listRepoTag(clients.B, instanceId, repo.repoId))[0];
    if (tag) return { domain, image: `${domain}/${repo.namespace}/${repo.name}:${tag.tag}`, source: 'discovered' };
  }
  return { domain };
}

function preflightVerify(config: Config, facts: VerifyFacts, base: BaseFacts): string[] {
  const instanceId = base.registry.instance.instanceId;
  const problems: string[] = [];
  if (!facts.domain) problems.push(`instance ${instanceId} shows no ${config.network.mode === 'public' ? 'Internet' : 'VPC'} domain to pull from: check its endpoints in the ACR console`);
  // With other steps the setup goes ahead and the pull is skipped (planVerify says so); alone, there is nothing to do.
  const alone = base.steps.every((s) => s === 'verify');
  if (!facts.image && alone) problems.push(`instance ${instanceId} has no repository with a tag to test-pull: push an image to it, or pass one with --image NAMESPACE/REPOSITORY:TAG`);
  return problems;
}

/** An empty registry does not hold up the setup: the test pull is skipped, and the plan and progress say so. */
function skippedPull(base: BaseFacts): Action {
  const why = `instance ${base.registry.instance.instanceId} has no repository with a tag yet: push an image, then run \`acr-xaccount verify\``;
  return {
    id: 'verify.pull',
    step: 'verify',
    account: 'A',
    title: 'Skip the test pull: nothing to pull yet',
    change: 'check',
    detail: { reason: why },
    apply: async (ctx) => ctx.progress(`skipped: ${why}`),
  };
}

function planVerify(config: Config, facts: VerifyFacts, base: BaseFacts, clients: StepClients): Action[] {
  if (!facts.image) return [skippedPull(base)];
  const image = facts.image;
  const { namespace, serviceAccount, timeoutSeconds, keep } = config.verify;
  return [
    {
      id: 'verify.pull',
      step: 'verify',
      account: 'A',
      title: `Test-pull ${image} in Deployment ${namespace}/${VERIFY_DEPLOYMENT}`,
      change: 'check',
      detail: { image, namespace, serviceAccount, timeoutSeconds, keepDeployment: keep },
      apply: async (ctx) => {
        const result = await runTestPull({ config, image, kubeconfig: clients.kubeconfig, pollIntervalMs: clients.pollIntervalMs, progress: ctx.progress, signal: ctx.signal });
        return { ...result };
      },
    },
  ];
}

export const step: StepModule<VerifyFacts> = {
  name: 'verify',
  discover: discoverVerify,
  preflight: preflightVerify,
  plan: planVerify,
  discoverTeardown: discoverVerifyTeardown,
  teardown: verifyTeardown,
};
