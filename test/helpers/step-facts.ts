// Hand-built discovery facts for planner tests: A's cluster and both identities, as the cloud would report them.
import type { BaseFacts } from '../../src/steps/step.js';

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
