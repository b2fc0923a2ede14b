// The test image for `verify`: a repository and tag picked from B's registry.
import type { AskPolicy } from '../policy.js';
import type { Choice, Prompter } from '../prompter.js';
import type { RegistryInstanceInfo, TagInfo, WizardSources } from '../sources.js';

export interface ImageAnswer {
  config: { verify?: { image: string } };
}

/** No image saved: the verify step still test-pulls, with the first repository that has a tag. */
const LATER = '<later>';

const tagLine = (t: TagInfo) =>
  [t.tag, t.updatedAt ? `updated ${t.updatedAt.toISOString().slice(0, 10)}` : '', t.sizeBytes ? `${(t.sizeBytes / 1048576).toFixed(1)} MiB` : ''].filter(Boolean).join('  ');

export async function askImage(p: Prompter, s: WizardSources, policy: AskPolicy, registry: RegistryInstanceInfo): Promise<ImageAnswer> {
  if (!policy.asks('verify.image')) return { config: {} };
  const repos = await p.busy(`Looking up the repositories of ${registry.name || registry.instanceId}`, s.repositories(registry.instanceId, registry.regionId));
  if (repos.length === 0) {
    p.note(`  ${registry.instanceId} has no repositories yet: push an image, then run \`acr-xaccount init --step verify\` to pick it.`, 'warn');
    return { config: {} };
  }
  const given = policy.text('verify.image');
  const [givenRepo] = given?.split(':') ?? [];
  const repoChoices: Choice<string>[] = repos.map((r) => ({ value: r.repoId, name: `${r.namespace}/${r.name}`, short: `${r.namespace}/${r.name}` }));
  const preset = repos.find((r) => `${r.namespace}/${r.name}` === givenRepo)?.repoId;
  const repoId = await p.select({ id: 'verify.repository', message: 'Test image for verify: repository', choices: [...repoChoices, { value: LATER, name: 'any: the first tagged image apply finds (pin one later with init --step verify)', short: 'any' }], default: preset });
  if (repoId === LATER) return { config: {} };
  const repo = repos.find((r) => r.repoId === repoId)!;
  const tags = await p.busy(`Looking up the tags of ${repo.namespace}/${repo.name}`, s.tags(registry.instanceId, registry.regionId, repoId));
  if (tags.length === 0) {
    p.note(`  ${repo.namespace}/${repo.name} has no tags yet: push one, then run \`acr-xaccount init --step verify\`.`, 'warn');
    return { config: {} };
  }
  const sorted = [...tags].sort((a, b) => (b.updatedAt?.getTime() ?? 0) - (a.updatedAt?.getTime() ?? 0));
  const tag = await p.select({ id: 'verify.tag', message: `Tag of ${repo.namespace}/${repo.name}`, choices: sorted.map((t) => ({ value: t.tag, name: tagLine(t), short: t.tag })), default: given?.split(':')[1] });
  return { config: { verify: { image: `${repo.namespace}/${repo.name}:${tag}` } } };
}
