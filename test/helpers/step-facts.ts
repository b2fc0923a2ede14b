// Hand-built inputs for planner tests: a config, A's cluster and both identities, as the cloud would report them.
import type { StepName } from '../../src/config/choices.js';
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';
import type { BaseFacts } from '../../src/steps/step.js';

/** Account A's and B's IDs (the sandbox's default scenario's). */
export const ACCOUNT_A = '1760312345678901';
export const ACCOUNT_B = '1580298765432109';

/** A valid config for a planner test: both sides in cn-hangzhou, public network unless `input` says otherwise. */
export function stepConfig(clusterId: string, instanceId: string, input: Omit<Partial<ConfigInput>, 'accountA' | 'accountB'> = {}): Config {
  return configSchema.parse({
    apiVersion: 'acr-xaccount/v1',
    accountA: { region: 'cn-hangzhou', clusterId },
    accountB: { region: 'cn-hangzhou', instanceId },
    network: { mode: 'public' },
    ...input,
  });
}

/** The OIDC provider and issuer ACK makes for a cluster when RRSA is turned on. */
export const rrsaOf = (clusterId: string) => ({
  oidcArn: `acs:ram::${ACCOUNT_A}:oidc-provider/ack-rrsa-${clusterId}`,
  issuer: `https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/${clusterId}`,
});

export function identities(a: string, b: string): BaseFacts['identities'] {
  return {
    A: { accountId: a, arn: `acs:ram::${a}:root`, identityType: 'Account', principalId: a },
    B: { accountId: b, arn: `acs:ram::${b}:root`, identityType: 'Account', principalId: b },
  };
}

/** An ACK Pro 1.31 cluster in cn-hangzhou; `rrsa` gives its OIDC issuer and provider when RRSA is on. */
export function clusterDetail(
  clusterId: string,
  workerRamRoleName: string,
  rrsa: { issuer: string; oidcArn: string } | undefined,
  overrides: Partial<BaseFacts['cluster']> = {},
): BaseFacts['cluster'] {
  return {
    clusterId, name: 'prod', clusterType: 'ManagedKubernetes', profile: 'Default', clusterSpec: 'ack.pro.small', state: 'running',
    regionId: 'cn-hangzhou', currentVersion: '1.31.1-aliyun.1', vpcId: 'vpc-a', vSwitchIds: [], containerCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/20',
    workerRamRoleName, securityGroupId: 'sg-a', networkMode: '',
    rrsa: rrsa
      ? { enabled: true, issuer: rrsa.issuer, issuers: [rrsa.issuer], audiences: ['sts.aliyuncs.com'], oidcArn: rrsa.oidcArn, oidcName: `ack-rrsa-${clusterId}` }
      : { enabled: false, issuer: '', issuers: [], audiences: [], oidcArn: '', oidcName: '' },
    ...overrides,
  };
}

/** `base` for a run that plans `steps` together (BaseFacts.steps), e.g. the add-on step with auth. */
export function withSteps(base: BaseFacts, ...steps: StepName[]): BaseFacts {
  return { ...base, steps };
}
