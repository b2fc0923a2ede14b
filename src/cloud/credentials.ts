// Credentials for A and B, found where Alibaba Cloud users already keep them (DESIGN.md §3).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { UserError } from '../errors.js';
import { cjsDefault } from './interop.js';
import { registerSecret } from '../secrets.js';

const importCredentials = () => import('@alicloud/credentials');
type CredentialsModule = Awaited<ReturnType<typeof importCredentials>>;
export type Credential = InstanceType<CredentialsModule['default']['default']>;
type Provider = ConstructorParameters<CredentialsModule['default']['default']>[1];

/** A credential that is built on first use, and what it is, for messages. */
export interface CredentialHandle {
  /** e.g. `profile "prod-b" (~/.aliyun/config.json, mode AK)`. */
  readonly source: string;
  credential(): Promise<Credential>;
}

export interface CredentialSpec {
  profile?: string;
}

let credentialsModule: Promise<CredentialsModule> | undefined;
const loadCredentials = () => (credentialsModule ??= importCredentials());

interface CliProfile {
  name: string;
  mode?: string;
}

export function aliyunConfigPath(home = homedir()): string {
  return join(home, '.aliyun', 'config.json');
}

export function sharedCredentialsPath(home = homedir()): string {
  return process.env.ALIBABA_CLOUD_CREDENTIALS_FILE ?? join(home, '.alibabacloud', 'credentials');
}

/** Profiles of the aliyun CLI config, or [] when there is no such file. */
export function listCliProfiles(home = homedir()): CliProfile[] {
  const file = aliyunConfigPath(home);
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { profiles?: CliProfile[] };
    return (parsed.profiles ?? []).filter((p) => typeof p?.name === 'string');
  } catch {
    throw new UserError(`${file} is not valid JSON: fix it with \`aliyun configure\` or by hand.`);
  }
}

/** Section names of ~/.alibabacloud/credentials (INI). */
export function listSharedProfiles(home = homedir()): string[] {
  const file = sharedCredentialsPath(home);
  if (!existsSync(file)) return [];
  return [...readFileSync(file, 'utf8').matchAll(/^\s*\[([^\]]+)\]\s*$/gm)].map((m) => m[1]!.trim());
}

/** Wraps a provider so every secret it yields is registered for redaction. */
function handle(source: string, build: (m: CredentialsModule) => Provider): CredentialHandle {
  let built: Promise<Credential> | undefined;
  return {
    source,
    credential() {
      built ??= loadCredentials().then((m) => {
        const inner = build(m) as { getCredentials(): Promise<{ accessKeySecret: string; securityToken: string }>; getProviderName(): string };
        const redacting = {
          getProviderName: () => inner.getProviderName(),
          async getCredentials() {
            const c = await inner.getCredentials();
            registerSecret(c.accessKeySecret);
            registerSecret(c.securityToken);
            return c;
          },
        };
        const Credential = cjsDefault<CredentialsModule['default']['default']>(m);
        return new Credential(null, redacting as never);
      });
      return built;
    },
  };
}

/**
 * Resolves the credentials for one account: a named profile (aliyun CLI config first, then
 * ~/.alibabacloud/credentials), or the default chain (environment variables, then the CLI's current profile, ...).
 */
export function resolveCredential(spec: CredentialSpec, account: string, home = homedir()): CredentialHandle {
  const { profile } = spec;
  if (profile) {
    const cli = listCliProfiles(home).find((p) => p.name === profile);
    if (cli) {
      return handle(`profile "${profile}" (${aliyunConfigPath(home)}, mode ${cli.mode ?? 'AK'})`, (m) =>
        m.CLIProfileCredentialsProvider.builder().withProfileName(profile).build(),
      );
    }
    if (listSharedProfiles(home).includes(profile)) {
      return handle(`profile "${profile}" (${sharedCredentialsPath(home)})`, (m) =>
        m.ProfileCredentialsProvider.builder().withProfileName(profile).build(),
      );
    }
    const known = [...listCliProfiles(home).map((p) => p.name), ...listSharedProfiles(home)];
    throw new UserError(
      `account ${account}: no profile named "${profile}". ` +
        (known.length > 0 ? `Known profiles: ${known.join(', ')}. ` : 'No aliyun CLI profiles were found. ') +
        'Create it with `aliyun configure --profile ' + profile + '` or pass another name.',
    );
  }
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return handle('environment variables ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET', (m) =>
      m.EnvironmentVariableCredentialsProvider.builder().build(),
    );
  }
  return handle('the default credential chain', (m) => m.DefaultCredentialsProvider.builder().build());
}

/** A fixed AccessKey pair (the sandbox's accounts); the secret is registered for redaction like any other. */
export function staticAccessKeyCredential(source: string, accessKeyId: string, accessKeySecret: string): CredentialHandle {
  return handle(source, (m) => m.StaticAKCredentialsProvider.builder().withAccessKeyId(accessKeyId).withAccessKeySecret(accessKeySecret).build());
}

/** Credentials from an STS AssumeRole, refreshed before they expire. */
export interface AssumedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: Date;
}

/**
 * A credential for B obtained by assuming `roleArn` with A's credentials. `assume` performs the STS call
 * (through the cloud layer, so endpoint overrides and the call log apply).
 */
export function assumedRoleCredential(roleArn: string, assume: () => Promise<AssumedCredentials>): CredentialHandle {
  let current: AssumedCredentials | undefined;
  return handle(`role ${roleArn} assumed with account A's credentials`, () => ({
    getProviderName: () => 'acr-xaccount-assume-role',
    async getCredentials() {
      // Refresh five minutes before expiry so a long apply never signs with a dead token.
      if (!current || current.expiration.getTime() - Date.now() < 5 * 60_000) current = await assume();
      const { accessKeyId, accessKeySecret, securityToken } = current;
      return { accessKeyId, accessKeySecret, securityToken, providerName: 'acr-xaccount-assume-role' };
    },
  }));
}
