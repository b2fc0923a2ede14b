// Shared start of every command that talks to the cloud: config, credentials for A and B, identities confirmed.
import { resolve } from 'node:path';

import { loadConfig, validateConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { formatCallRecord } from '../cloud/call-log.js';
import { assumedRoleCredential, resolveCredential } from '../cloud/credentials.js';
import { confirmIdentities, maskAccountId, type Identities } from '../cloud/identity.js';
import { parseEndpointOverrides } from '../cloud/products.js';
import { Cloud } from '../cloud/session.js';
import { assumeRole } from '../cloud/sts.js';
import { NotYetImplementedError } from '../errors.js';
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
  const loaded = await loadConfig(resolve(ctx.options.config), ctx.options);
  return { config: validateConfig(loaded), loaded };
}

/** Builds the cloud clients for the config's accounts; nothing is sent yet. */
export function buildCloud(ctx: CommandContext, config: Config, dryRun: boolean): Cloud {
  if (ctx.options.sandbox) {
    throw new NotYetImplementedError('--sandbox (the embedded Alibaba Cloud simulator, issue #3)');
  }
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

export async function openSession(ctx: CommandContext, dryRun: boolean): Promise<Session> {
  const { config, loaded } = await loadValidConfig(ctx);
  const cloud = buildCloud(ctx, config, dryRun);
  const identities = await confirmIdentities(cloud);
  const accountLabels = {
    A: `account A ${maskAccountId(identities.A.accountId)}`,
    B: `account B ${maskAccountId(identities.B.accountId)}`,
  };
  return { config, loaded, cloud, identities, accountLabels };
}
