import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

import { applyFlags, loadConfig, saveConfig, validateConfig, type Sources } from '../src/config/load.js';
import { SETTING_FLAGS, ACCOUNT_FLAGS } from '../src/config/flags.js';
import { ConfigError, UserError } from '../src/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'acrx-config-'));

const GOOD = `apiVersion: acr-xaccount/v1
accountA:
  profile: prod-a
  region: cn-hangzhou
  clusterId: c8864f6d1c0bd4a1f9dd14c0f27a7d4e1
accountB:
  profile: prod-b
  region: cn-shanghai
  instanceId: cri-abc123
network:
  mode: peering
  dns: privatezone
auth:
  mode: rrsa
  expireDuration: 7200
addon:
  edition: managed
`;

async function load(yaml: string | undefined, flags: Record<string, unknown> = {}) {
  const dir = tmp();
  const file = join(dir, 'acr-xaccount.yaml');
  if (yaml !== undefined) writeFileSync(file, yaml);
  return loadConfig(file, flags);
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected the config to be refused');
}

describe('config validation', () => {
  it('accepts a good file and fills defaults', async () => {
    const config = validateConfig(await load(GOOD));
    assert.equal(config.network.mode, 'peering');
    assert.equal(config.auth.expireDuration, 7200);
    assert.equal(config.auth.roleBName, 'acr-xaccount-puller');
    assert.equal(config.auth.policyScope, 'instance');
    assert.deepEqual(config.addon.watchNamespaces, ['all']);
    assert.equal(config.verify.namespace, 'default');
    assert.equal(config.verify.keep, false);
  });

  it('names the field, the bad value and the accepted values for an enum', async () => {
    const loaded = await load(GOOD.replace('mode: peering', 'mode: vpn'));
    const [problem] = problemsOf(() => validateConfig(loaded));
    assert.match(problem!, /network\.mode/);
    assert.match(problem!, /"vpn"/);
    assert.match(problem!, /public, peering, cen/);
    assert.match(problem!, /acr-xaccount\.yaml/);
  });

  it('points at the flag when the bad value came from a flag', async () => {
    const loaded = await load(GOOD, { expireDuration: '60' });
    const [problem] = problemsOf(() => validateConfig(loaded));
    assert.match(problem!, /auth\.expireDuration \(from --expire-duration\): got 60/);
    assert.match(problem!, /3600/);
  });

  it('refuses expireDuration above 43200', async () => {
    const loaded = await load(GOOD.replace('expireDuration: 7200', 'expireDuration: 50000'));
    const [problem] = problemsOf(() => validateConfig(loaded));
    assert.match(problem!, /auth\.expireDuration.*50000.*43200/);
  });

  it('lists every missing field with the flag that sets it', async () => {
    const problems = problemsOf(() => validateConfig({ raw: { apiVersion: 'acr-xaccount/v1' }, sources: new Map(), file: 'x.yaml', fileExists: false }));
    const text = problems.join('\n');
    for (const needle of ['accountA is missing', 'accountB is missing', 'network is missing', 'auth is missing', 'addon is missing']) {
      assert.match(text, new RegExp(needle));
    }
    const loaded = await load(GOOD.replace('  clusterId: c8864f6d1c0bd4a1f9dd14c0f27a7d4e1\n', ''));
    const [problem] = problemsOf(() => validateConfig(loaded));
    assert.match(problem!, /accountA\.clusterId is missing: pass --cluster-id or set accountA\.clusterId/);
  });

  it('refuses an unknown field, and says secrets never belong in the file', async () => {
    const loaded = await load(GOOD.replace('  profile: prod-b\n', '  profile: prod-b\n  accessKeySecret: abc\n'));
    const [problem] = problemsOf(() => validateConfig(loaded));
    assert.match(problem!, /accountB\.accessKeySecret/);
    assert.match(problem!, /secrets never go in the config file/);
    const typo = await load(GOOD.replace('  dns: privatezone\n', '  dsn: privatezone\n'));
    assert.match(problemsOf(() => validateConfig(typo))[0]!, /unknown field network\.dsn/);
  });

  it('refuses the managed add-on with a non-RRSA auth, naming what works', async () => {
    const loaded = await load(GOOD.replace('mode: rrsa', 'mode: worker-role'));
    const [problem] = problemsOf(() => validateConfig(loaded));
    assert.match(problem!, /addon\.edition/);
    assert.match(problem!, /self-managed/);
  });

  it('refuses profile and roleArn together for B, and a malformed role ARN', async () => {
    const both = await load(GOOD.replace('  profile: prod-b\n', '  profile: prod-b\n  roleArn: acs:ram::1234567890:role/x\n'));
    assert.match(problemsOf(() => validateConfig(both))[0]!, /either accountB\.profile or accountB\.roleArn/);
    const bad = await load(GOOD.replace('  profile: prod-b\n', '  roleArn: arn:aws:iam::1:role/x\n'));
    assert.match(problemsOf(() => validateConfig(bad))[0]!, /accountB\.roleArn.*acs:ram::/);
  });

  it('reports broken YAML with the fix', async () => {
    await assert.rejects(load('accountA: [unclosed\n'), (e: unknown) => e instanceof UserError && /not valid YAML/.test(e.message));
  });

  it('refuses a wrong apiVersion', async () => {
    const loaded = await load(GOOD.replace('acr-xaccount/v1', 'acr-xaccount/v9'));
    assert.match(problemsOf(() => validateConfig(loaded))[0]!, /apiVersion.*acr-xaccount\/v9/);
  });
});

describe('flags over the file', () => {
  it('flags override file values and record their source', async () => {
    const loaded = await load(GOOD, { network: 'cen', regionA: 'cn-beijing', watchNamespace: ['team-a,team-b', 'team-c'], keep: true, bandwidth: '20' });
    const config = validateConfig(loaded);
    assert.equal(config.network.mode, 'cen');
    assert.equal(config.accountA.region, 'cn-beijing');
    assert.equal(config.accountA.clusterId, 'c8864f6d1c0bd4a1f9dd14c0f27a7d4e1', 'untouched fields keep the file value');
    assert.deepEqual(config.addon.watchNamespaces, ['team-a', 'team-b', 'team-c']);
    assert.equal(config.verify.keep, true);
    assert.equal(config.network.bandwidthMbps, 20);
    assert.equal(loaded.sources.get('network.mode'), '--network');
  });

  it('builds a whole config from flags alone', async () => {
    const loaded = await load(undefined, {
      regionA: 'cn-hangzhou', clusterId: 'c1234567', regionB: 'cn-hangzhou', instanceId: 'cri-x1',
      network: 'public', auth: 'access-key', edition: 'self-managed', profileA: 'a', profileB: 'b',
    });
    const config = validateConfig(loaded);
    assert.equal(config.auth.mode, 'access-key');
    assert.equal(config.accountB.profile, 'b');
  });

  it('refuses a non-numeric number flag by name', () => {
    assert.throws(() => applyFlags({}, { expireDuration: 'soon' }, new Map() as Sources), /--expire-duration: expected a whole number, got "soon"/);
  });

  it('every flag maps to a field the schema knows', () => {
    const json = JSON.parse(readFileSync(new URL('../schema/acr-xaccount.schema.json', import.meta.url), 'utf8'));
    for (const flag of [...SETTING_FLAGS, ...ACCOUNT_FLAGS]) {
      const node = flag.path.split('.').reduce((n: any, k) => n?.properties?.[k], json);
      assert.ok(node, `--${flag.name} maps to ${flag.path}, which the schema lacks`);
    }
  });
});

describe('saving', () => {
  it('merges into an existing file, keeping comments and other keys', async () => {
    const dir = tmp();
    const file = join(dir, 'acr-xaccount.yaml');
    writeFileSync(file, `# my notes about prod\n${GOOD.replace('mode: peering', 'mode: peering # chosen by the network team')}`);
    await saveConfig(file, { network: { mode: 'cen' }, auth: { expireDuration: 10800 } });
    const text = readFileSync(file, 'utf8');
    assert.match(text, /# my notes about prod/);
    assert.match(text, /mode: cen # chosen by the network team/);
    assert.match(text, /expireDuration: 10800/);
    assert.match(text, /profile: prod-b/);
    assert.equal(statSync(file).mode & 0o777, 0o644);
  });

  it('never saves one-run flags such as --rotate-key, so the next run does not repeat them', async () => {
    const dir = tmp();
    const file = join(dir, 'acr-xaccount.yaml');
    const loaded = await load(GOOD, { rotateKey: true, replaceEdition: true });
    assert.equal(validateConfig(loaded).auth.rotateKey, true, 'this run rotates');
    await saveConfig(file, loaded.raw);
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /rotateKey|replaceEdition/);
    assert.match(text, /expireDuration: 7200/);
  });

  it('refuses to save anything that looks like a secret, and writes nothing', async () => {
    const dir = tmp();
    const file = join(dir, 'acr-xaccount.yaml');
    await assert.rejects(saveConfig(file, { accountB: { accessKeySecret: 'x' } }), /refusing to save accountB\.accessKeySecret/);
    assert.equal(existsSync(file), false);
  });

  it('writes a new file that loads back to the same config', async () => {
    const dir = tmp();
    const file = join(dir, 'new.yaml');
    const config = validateConfig(await load(GOOD));
    await saveConfig(file, config as unknown as Record<string, unknown>);
    const again = validateConfig(await loadConfig(file, {}));
    assert.deepEqual(again, config);
  });
});

describe('JSON Schema', () => {
  it('the shipped schema matches the zod schema', () => {
    const result = spawnSync(process.execPath, ['scripts/gen-json-schema.mjs', '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});
