// Shared start of every command that talks to the cloud: config, credentials for A and B, identities confirmed.
import { resolve } from 'node:path';

import { loadConfig, validateConfig, type LoadedConfig, type RawConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { formatCallRecord } from '../cloud/call-log.js';
import { assumedRoleCredential, resolveCredential, staticAccessKeyCredential } from '../cloud/credentials.js';
import { confirmIdentities, maskAccountId, type Identities } from '../cloud/identity.js';
import { parseEndpointOverrides } from '../cloud/products.js';
import { Cloud } from '../cloud/session.js';
import { assumeRole } from '../cloud/sts.js';
import type { CommandContext } from './context.js';

export interface Session {
  config: Config;
  loaded: LoadedConfig;
  cloud: Cloud;
  identities: Identities;
  /** Labels for the plan's account headings, e.g. `account A 1234****5678`. */
  accountLabels: Record<'A' | 'B', string>;
}

export async function loadValidConfig(ctx: CommandContext): Promise<{ config: Config; loaded: LoadedConfig }> {
  const loaded = await loadConfig(resolve(ctx.options.config), ctx.options, await sandboxDefaults(ctx));
  return { config: validateConfig(loaded), loaded };
}

/** Builds the cloud clients for the config's accounts; nothing is sent yet (but --sandbox starts the simulator). */
export async function buildCloud(ctx: CommandContext, config: Config, dryRun: boolean): Promise<Cloud> {
  if (ctx.options.sandbox) return sandboxCloud(ctx, config, dryRun);
  const cloud = new Cloud({ endpoints: parseEndpointOverrides(ctx.options.endpoint ?? []), dryRun });
  if (ctx.options.verbose) cloud.log.onRecord((r) => ctx.ui.err(ctx.ui.c.dim(formatCallRecord(r))));
  cloud.addAccount('A', config.accountA.region, resolveCredential({ profile: config.accountA.profile }, 'A'));
  const roleArn = config.accountB.roleArn;
  const credentialB = roleArn
    ? assumedRoleCredential(roleArn, () => assumeRole(cloud.account('A'), { roleArn, roleSessionName: 'acr-xaccount' }))
    : resolveCredential({ profile: config.accountB.profile }, 'B');
  cloud.addAccount('B', config.accountB.region, credentialB);
  return cloud;
}

/** The in-process simulator: every product's endpoint points at it, and its two accounts' keys are A and B. */
async function sandboxCloud(ctx: CommandContext, config: Config, dryRun: boolean): Promise<Cloud> {
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ dir: ctx.options.sandboxState, scenario: ctx.options.sandboxScenario });
  ctx.cleanup.push(() => sandbox.close());
  const endpoints = parseEndpointOverrides([`all=${sandbox.url}`]);
  const cloud = new Cloud({ endpoints, dryRun });
  if (ctx.options.verbose) cloud.log.onRecord((r) => ctx.ui.err(ctx.ui.c.dim(formatCallRecord(r))));
  const { A, B } = sandbox.accounts;
  cloud.addAccount('A', config.accountA.region, staticAccessKeyCredential('sandbox account A', A.accessKeyId, A.accessKeySecret));
  cloud.addAccount('B', config.accountB.region, staticAccessKeyCredential('sandbox account B', B.accessKeyId, B.accessKeySecret));
  return cloud;
}

/** In sandbox mode, IDs the user did not give come from the scenario, as the wizard would discover them. */
export async function sandboxDefaults(ctx: CommandContext): Promise<RawConfig> {
  if (!ctx.options.sandbox) return {};
  const { peekSandboxFacts } = await import('../sandbox/index.js');
  const facts = peekSandboxFacts({ dir: ctx.options.sandboxState, scenario: ctx.options.sandboxScenario });
  const text = (key: string) => (typeof facts[key] === 'string' ? (facts[key] as string) : undefined);
  return {
    accountA: { region: text('regionA'), clusterId: text('clusterId') },
    accountB: { region: text('regionB'), instanceId: text('instanceId') },
  };
}

export async function openSession(ctx: CommandContext, dryRun: boolean): Promise<Session> {
  const { config, loaded } = await loadValidConfig(ctx);
  const cloud = await buildCloud(ctx, config, dryRun);
  const identities = await confirmIdentities(cloud);
  const accountLabels = {
    A: `account A ${maskAccountId(identities.A.accountId)}`,
    B: `account B ${maskAccountId(identities.B.accountId)}`,
  };
  return { config, loaded, cloud, identities, accountLabels };
}
