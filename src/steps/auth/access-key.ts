// AccessKey: a RAM user in B with the pull policy and exactly one AccessKey. The secret goes from CreateAccessKey
// straight into the cluster's helper configuration (the add-on step writes it), never to output, logs or files.
// A re-run keeps the key the cluster uses; --rotate-key makes a new one, switches the cluster, then deletes the old.
import type { Config } from '../../config/schema.js';
import * as ram from '../../cloud/ram.js';
import { knownAfterApply, sensitive, type Action } from '../../plan/action.js';
import type { BaseFacts, StepClients } from '../step.js';
import type { AuthFacts, UserState } from './facts.js';
import { describe } from './names.js';
import { attachAction } from './ram-actions.js';
import { pullPolicyAction } from './role-b.js';

/** RAM allows two AccessKeys per user. */
export const ACCESS_KEY_LIMIT = 2;

export interface KeyPlan {
  /** The key the cluster uses and keeps. */
  keep?: string;
  /** A new key is made (none works, or a rotation was asked). */
  create: boolean;
  /** Keys deleted before the new one is made (RAM's limit): never the one the cluster uses. */
  makeRoom: string[];
  /** Keys deleted once the cluster uses the new (or kept) key: the old one and any left from an interrupted run. */
  retire: string[];
}

const oldestFirst = (a: ram.AccessKeyInfo, b: ram.AccessKeyInfo) => String(a.createDate ?? '').localeCompare(String(b.createDate ?? ''));

/** What happens to the user's keys, from the keys RAM lists and the one the cluster is configured with. */
export function planKeys(state: Pick<UserState, 'keys' | 'configuredKeyId'>, rotate: boolean): KeyPlan {
  const keys = [...state.keys].sort(oldestFirst);
  const working = keys.find((k) => k.accessKeyId === state.configuredKeyId && k.status === 'Active');
  if (working && !rotate) {
    return { keep: working.accessKeyId, create: false, makeRoom: [], retire: keys.filter((k) => k !== working).map((k) => k.accessKeyId) };
  }
  // Keys the cluster does not use hold secrets nobody has any more: they go first when room is needed.
  const unused = keys.filter((k) => k !== working);
  const excess = Math.max(0, keys.length - (ACCESS_KEY_LIMIT - 1));
  const makeRoom = unused.slice(0, excess).map((k) => k.accessKeyId);
  return { create: true, makeRoom, retire: keys.map((k) => k.accessKeyId).filter((id) => !makeRoom.includes(id)) };
}

/** What `auth.access-key` outputs when it made a key: the add-on step writes it into the cluster. */
export interface NewKeyOutput {
  accessKeyId: string;
  accessKeySecret: ReturnType<typeof sensitive>;
}

export const LONG_LIVED_SECRET_WARNING =
  'access-key mode stores a long-lived AccessKey secret of a RAM user of account B in the cluster (ConfigMap ' +
  'kube-system/acr-configuration, readable by anyone who may read ConfigMaps in kube-system). Use it only for demos ' +
  'and non-production; RRSA needs no stored secret.';

export function accessKeyActions(config: Config, facts: AuthFacts, base: BaseFacts, clients: StepClients): Action[] {
  const userName = config.auth.userName;
  const state: UserState = facts.user ?? { attached: [], keys: [] };
  const keys = planKeys(state, config.auth.rotateKey);
  const user: Action = state.user
    ? { id: 'auth.user', step: 'auth', account: 'B', title: `RAM user ${userName}`, change: 'noop' }
    : {
        id: 'auth.user',
        step: 'auth',
        account: 'B',
        title: `Create RAM user ${userName}`,
        change: 'create',
        detail: { name: userName, comments: describe.user(config) },
        apply: async () => {
          if (!(await ram.getUser(clients.B, userName))) await ram.createUser(clients.B, { userName, comments: describe.user(config) });
        },
      };
  const actions: Action[] = [
    pullPolicyAction(config, facts, base, clients),
    user,
    attachAction({ id: 'auth.user-policy', account: 'B', acct: clients.B, target: { kind: 'user', name: userName }, policyName: config.auth.policyName, policyType: 'Custom', attached: state.attached, dependsOn: ['auth.user', 'auth.policy-b'] }),
  ];
  if (keys.makeRoom.length > 0) actions.push(deleteKeysAction('auth.access-key-room', userName, keys.makeRoom, 'unused, to make room for the new key', clients, ['auth.user']));
  actions.push(newKeyAction(config, keys, clients));
  if (keys.retire.length > 0) {
    // The old key stays until the cluster has switched to the new one.
    const after = keys.create && base.steps.includes('addon') ? ['auth.access-key', 'addon.config'] : ['auth.access-key'];
    actions.push(deleteKeysAction('auth.access-key-retire', userName, keys.retire, keys.create ? 'replaced by the new key' : 'not used by the cluster', clients, after));
  }
  return actions;
}

function newKeyAction(config: Config, keys: KeyPlan, clients: StepClients): Action {
  const userName = config.auth.userName;
  const dependsOn = ['auth.user', 'auth.user-policy', ...(keys.makeRoom.length > 0 ? ['auth.access-key-room'] : [])];
  if (!keys.create) return { id: 'auth.access-key', step: 'auth', account: 'B', title: `AccessKey ${keys.keep} of RAM user ${userName} (used by the cluster)`, change: 'noop', dependsOn };
  return {
    id: 'auth.access-key',
    step: 'auth',
    account: 'B',
    title: `Create an AccessKey for RAM user ${userName}${config.auth.rotateKey ? ' (rotation)' : ''}: a long-lived secret, stored in the cluster`,
    change: 'create',
    detail: {
      user: userName,
      accessKeyId: knownAfterApply(),
      accessKeySecret: sensitive('(new secret)'),
      storedIn: 'ConfigMap kube-system/acr-configuration only (never printed, logged or saved)',
      warning: LONG_LIVED_SECRET_WARNING,
    },
    dependsOn,
    apply: async (): Promise<Record<string, unknown>> => {
      const key = await ram.createAccessKey(clients.B, userName);
      const output: NewKeyOutput = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
      return { ...output };
    },
  };
}

function deleteKeysAction(id: string, userName: string, keyIds: string[], why: string, clients: StepClients, dependsOn: string[]): Action {
  return {
    id,
    step: 'auth',
    account: 'B',
    title: `Delete AccessKey${keyIds.length > 1 ? 's' : ''} ${keyIds.join(', ')} of RAM user ${userName} (${why})`,
    change: 'delete',
    detail: { user: userName, accessKeyIds: keyIds },
    dependsOn,
    apply: async () => {
      for (const keyId of keyIds) await ram.deleteAccessKey(clients.B, userName, keyId);
    },
  };
}
