// What acr-xaccount names and marks: ARNs of the roles and users it uses, and the marker that says "ours".
import type { Config } from '../../config/schema.js';
import { MARKER } from '../marker.js';


/** The helper's service account: the only subject role A trusts. */
export const HELPER_SUBJECT = 'system:serviceaccount:kube-system:aliyun-acr-credential-helper';
/** The audience RRSA tokens carry when the cluster does not say otherwise. */
export const RRSA_DEFAULT_AUDIENCE = 'sts.aliyuncs.com';
/** The system policy the seed attaches to role A / the worker role (assumePolicy=system). */
export const SYSTEM_ASSUME_POLICY = 'AliyunSTSAssumeRoleAccess';

export const roleArn = (accountId: string, roleName: string): string => `acs:ram::${accountId}:role/${roleName}`;

/** The custom policy in A that lets role A (or the worker role) assume role B, and nothing else. */
export const assumePolicyName = (config: Config): string => `${config.auth.roleBName}-assume`.slice(0, 128);

export const describe = {
  roleA: (config: Config) => `acr-xaccount: the credential helper of ACK cluster ${config.accountA.clusterId} through RRSA (${MARKER})`,
  roleB: (config: Config) => `acr-xaccount: pulls from ACR instance ${config.accountB.instanceId} for account A's cluster (${MARKER})`,
  pullPolicy: (config: Config) => `acr-xaccount: pull images from ACR instance ${config.accountB.instanceId} (${MARKER})`,
  assumePolicy: (config: Config) => `acr-xaccount: assume ${config.auth.roleBName} in the registry account (${MARKER})`,
  user: (config: Config) => `acr-xaccount: AccessKey user for ACK cluster ${config.accountA.clusterId} (${MARKER})`,
};
