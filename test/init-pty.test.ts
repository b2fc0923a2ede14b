// `init --sandbox` in a real pseudo-terminal: the built CLI is answered like a user would, with arrow keys, typing
// and Enter, and the screen is read back: a declined plan, a full run through apply and the test pull (then doctor
// on the saved config), Ctrl-C midway, --step, all flags, and no terminal at all.
// Run `npm run build` first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { after, describe, it } from 'node:test';

import * as pty from 'node-pty';
import { parse } from 'yaml';

import { createWorld, sandboxMeta } from '../src/sandbox/scenarios.js';
import { livePeeringsBetween } from '../src/sandbox/state/peering.js';
import { recordsOf, zonesBoundTo } from '../src/sandbox/state/pvtz.js';
import { findRole } from '../src/sandbox/state/ram.js';
import { World } from '../src/sandbox/world.js';
import { BIN, runCli } from './helpers/cli.js';
import { markedPaths, notHistory } from './helpers/world-diff.js';

const DOWN = '\x1b[B';
const ENTER = '\r';
const CTRL_C = '\x03';
const BACKSPACE = '\x7f';
const COLS = 120;

const dirs: string[] = [];
const tmp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** The escaped source of a literal text, for building patterns. */
const lit = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One run of the CLI in a pseudo-terminal, with the screen's text (escapes stripped) and bounded waits. */
class Terminal {
  private readonly term: pty.IPty;
  private raw = '';
  private seen = 0;
  private lastData = Date.now();
  readonly exited: Promise<number>;

  constructor(args: string[], readonly cwd: string) {
    this.term = pty.spawn(process.execPath, [BIN, ...args], {
      name: 'xterm',
      cols: COLS,
      rows: 40,
      cwd,
      // A home of its own: no aliyun profiles of the machine, no ~/.acr-xaccount.
      env: { ...process.env, NO_COLOR: '1', HOME: cwd, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' } as Record<string, string>,
    });
    this.term.onData((d) => {
      this.raw += d;
      this.lastData = Date.now();
    });
    this.exited = new Promise((resolve) => this.term.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything shown so far, as text. */
  get screen(): string {
    return stripVTControlCharacters(this.raw).replace(/\r/g, '');
  }

  /** Waits (at most `ms`) until the text after the last match matches `pattern`. */
  async waitFor(pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const rest = this.screen.slice(this.seen);
      const match = rest.match(pattern);
      if (match) {
        this.seen += match.index! + match[0].length;
        return match;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen ends with:\n${this.screen.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Waits until the screen has been still for a moment (a prompt finished drawing). */
  async settle(quietMs = 120, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() - this.lastData < quietMs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  press(keys: string): void {
    this.term.write(keys);
  }

  /** Presses keys and waits for the redraw they cause to finish. */
  async pressAndRedraw(keys: string, ms = 3_000): Promise<void> {
    const before = this.raw.length;
    this.press(keys);
    const deadline = Date.now() + ms;
    while (this.raw.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await this.settle();
  }

  /** The highlighted option of the list drawn last. */
  private highlighted(): string {
    const text = this.screen;
    const at = text.lastIndexOf('❯');
    return at < 0 ? '' : text.slice(at, text.indexOf('\n', at) < 0 ? undefined : text.indexOf('\n', at));
  }

  /** Answers a list prompt: arrow down to the option matching `option`, then Enter. */
  async select(message: string, option: RegExp): Promise<void> {
    await this.waitFor(new RegExp(`\\? ${lit(message)}`));
    await this.settle();
    for (let moves = 0; !option.test(this.highlighted()); moves++) {
      if (moves > 12) throw new Error(`no option ${option} under "${message}"; highlighted: ${this.highlighted()}`);
      await this.pressAndRedraw(DOWN);
    }
    this.press(ENTER);
    await this.waitFor(new RegExp(`✔ ${lit(message)}`));
  }

  /** Answers a text prompt: `text` typed (none: take the default), then Enter. */
  async input(message: string, text = ''): Promise<void> {
    await this.waitFor(new RegExp(`\\? ${lit(message)}`));
    await this.settle();
    this.press(text + ENTER);
  }

  kill(): void {
    this.term.kill();
  }
}

/** Runs `drive` against a fresh terminal; whatever happens, the process is gone afterwards (no hanging test). */
async function session(args: string[], cwd: string, drive: (t: Terminal) => Promise<void>, guardMs = 60_000): Promise<{ code: number; screen: string }> {
  const t = new Terminal(args, cwd);
  const guard = setTimeout(() => t.kill(), guardMs);
  try {
    await drive(t);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<number>((_, reject) => (timer = setTimeout(() => reject(new Error(`no exit; screen:\n${t.screen.slice(-1500)}`)), 30_000)));
    const code = await Promise.race([t.exited, late]).finally(() => clearTimeout(timer));
    return { code, screen: t.screen };
  } catch (error) {
    t.kill();
    throw error;
  } finally {
    clearTimeout(guard);
  }
}

const savedConfig = (cwd: string) => parse(readFileSync(join(cwd, 'acr-xaccount.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('init in a terminal (sandbox)', () => {
  it('a user picks with arrows and Enter, a wrong region is refused inline, and the config is saved', async () => {
    const cwd = tmp('acrx-pty-');
    const { code, screen } = await session(['--sandbox-state', join(cwd, 'sandbox'), 'init', '--sandbox'], cwd, async (t) => {
      await t.waitFor(/Account A: 1760312345678901/);
      await t.waitFor(/Account B: 1580298765432109/);
      await t.select('ACK cluster (account A)', /prod\s+ACK managed Pro 1\.31\.1\s+cn-hangzhou\s+vpc-\w+\s+RRSA off/);
      // Inline validation: a region where B has no instance is refused under the prompt; erase it, take the default.
      await t.input('Region of the ACR instance (account B)', 'cn-beijing');
      await t.waitFor(/account B has no ACR instance in cn-beijing: enter the registry's region/);
      // Exactly the typed text: one more backspace on an empty line would drop the default too (Inquirer).
      t.press(BACKSPACE.repeat('cn-beijing'.length) + ENTER);
      await t.waitFor(/✔ Region of the ACR instance \(account B\) cn-hangzhou/);
      await t.select('ACR instance (account B)', /acme-images\s+cri-\w+\s+Enterprise Standard/);
      await t.waitFor(/Recommended: peering — same region \(cn-hangzhou\) and no overlapping CIDRs/);
      await t.select('Network path', /^❯ cen\b/);
      await t.waitFor(/They will be looked up on i-\w+ \(bastion\)/);
      await t.select('Name resolution', /^❯ hosts\b/);
      await t.waitFor(/Recommended: rrsa/);
      await t.select('Authorization', /^❯ worker-role\b/);
      await t.input('Lifetime of the temporary credentials', '7200');
      await t.select('aliyun-acr-credential-helper edition', /^❯ self-managed\b/);
      await t.input('Namespaces the helper watches', '');
      await t.input('Service accounts the helper gives registry credentials to', '');
      await t.select('Test image for verify: repository', /^❯ team\/web\b/);
      await t.select('Tag of team/web', /^❯ 2025\.11\.3\b/);
      await t.waitFor(/Saved .*acr-xaccount\.yaml \(no secrets\)/);
      await t.waitFor(/Topology[\s\S]*CEN transit routers \(within cn-hangzhou\)[\s\S]*account B 1580298765432109/);
      // The plan follows, and is declined.
      await t.waitFor(/Plan: \d+ to create/, 30_000);
      await t.waitFor(/\? Apply these changes\?/);
      await t.settle();
      t.press('n' + ENTER);
      await t.waitFor(/Nothing was changed\./);
    });
    assert.equal(code, 1, screen.slice(-800));
    assert.match(screen, /✔ Apply these changes\? No/);
    assert.doesNotMatch(screen, /Apply complete|✔ Create /, 'nothing applied');
    // The managed edition is not offered with the worker role: it is drawn with its reason.
    assert.match(screen, /managed\s+ACK installs and upgrades it — supports only RRSA across accounts, not worker-role/);
    const config = savedConfig(cwd);
    assert.equal(config.accountA!.region, 'cn-hangzhou');
    assert.match(String(config.accountA!.clusterId), /^c[0-9a-f]{32}$/);
    assert.match(String(config.accountB!.instanceId), /^cri-/);
    assert.deepEqual(
      [config.network!.mode, config.network!.dns, config.auth!.mode, config.auth!.expireDuration, config.addon!.edition, config.verify!.image],
      ['cen', 'hosts', 'worker-role', 7200, 'self-managed', 'team/web:2025.11.3'],
    );
    assert.match(String(config.network!.discoveryInstanceId), /^i-/);
    assert.doesNotMatch(readFileSync(join(cwd, 'acr-xaccount.yaml'), 'utf8'), /LTAI|accessKey|token/i, 'no credentials in the file');
  });

  it('a full run like a user: every question answered with arrows and Enter, the plan confirmed, applied, verified by a pull; doctor agrees', { timeout: 300_000 }, async () => {
    const cwd = tmp('acrx-pty-full-');
    const stateDir = join(cwd, 'sandbox');
    const { code, screen } = await session(
      ['--sandbox-state', stateDir, 'init', '--sandbox'],
      cwd,
      async (t) => {
        await t.select('ACK cluster (account A)', /prod/);
        await t.input('Region of the ACR instance (account B)');
        await t.select('ACR instance (account B)', /acme-images/);
        await t.select('Network path', /peering.*\(recommended\)/);
        await t.select('Name resolution', /privatezone.*\(recommended\)/);
        await t.select('Authorization', /rrsa.*\(recommended\)/);
        await t.input('Lifetime of the temporary credentials');
        await t.select('aliyun-acr-credential-helper edition', /managed.*\(recommended\)/);
        await t.input('Namespaces the helper watches');
        await t.input('Service accounts the helper gives registry credentials to');
        // Not the first repository (base/alpine is): reached with the down arrow.
        await t.select('Test image for verify: repository', /^❯ team\/web\b/);
        await t.select('Tag of team/web', /^❯ 2025\.11\.3\b/);
        await t.waitFor(/Saved .*acr-xaccount\.yaml \(no secrets\)/);
        await t.waitFor(/Topology[\s\S]*VPC peering \(within cn-hangzhou\)/);
        await t.waitFor(/Plan: \d+ to create, \d+ to update, 0 to delete\./, 30_000);
        await t.waitFor(/\? Apply these changes\?/);
        await t.settle();
        t.press('y' + ENTER);
        // Every step, then the verify step's test pull (the slow part when the machine is busy).
        await t.waitFor(/Successfully pulled image \S+\/team\/web:2025\.11\.3 in [\d.]+s/, 120_000);
        await t.waitFor(/Apply complete: \d+ actions done\./, 30_000);
        // The next commands read the saved file: no settings flags, only where the sandbox's world is.
        await t.waitFor(new RegExp(`Next:[\\s\\S]*acr-xaccount --sandbox-state ${lit(stateDir)} doctor --sandbox`));
      },
      240_000,
    );
    assert.equal(code, 0, screen.slice(-1500));
    assert.match(screen, /✔ Apply these changes\? Yes/);
    assert.match(screen, /^verify · account A/m, 'the plan has the test pull');
    const config = savedConfig(cwd);
    assert.deepEqual(
      [config.network!.mode, config.network!.dns, config.auth!.mode, config.addon!.edition, config.verify!.image],
      ['peering', 'privatezone', 'rrsa', 'managed', 'team/web:2025.11.3'],
    );

    // The setup is really there in the saved world.
    const world = World.load(join(stateDir, 'state.json'));
    const { accounts, facts } = sandboxMeta(world);
    assert.ok(findRole(world, accounts.A, 'acr-xaccount-helper'), "role A (the helper's RRSA role)");
    const puller = findRole(world, accounts.B, 'acr-xaccount-puller');
    assert.ok(puller, 'role B');
    assert.match(puller.assumeRolePolicyDocument, new RegExp(lit(`acs:ram::${accounts.A}:role/acr-xaccount-helper`)), 'role B trusts role A');
    const peerings = livePeeringsBetween(world, String(facts.vpcA), String(facts.vpcB));
    assert.deepEqual(peerings.map((p) => [p.name, p.status]), [['acr-xaccount-registry', 'Activated']]);
    const zone = zonesBoundTo(world, String(facts.vpcA)).find((z) => z.zoneName === facts.registryVpcDomain);
    assert.ok(zone, "the registry's zone is bound to A's VPC");
    assert.deepEqual(recordsOf(world, zone).map((r) => [r.rr, r.type]), [['@', 'A']]);
    assert.match(recordsOf(world, zone)[0]!.value, /^172\.16\.\d+\.\d+$/, "an address in B's VPC");

    // The saved acr-xaccount.yaml is all a later command needs: doctor, with no flag but --sandbox, finds every link ok.
    const doctor = await runCli(['--sandbox-state', stateDir, 'doctor', '--sandbox'], { cwd, env: { HOME: cwd } });
    assert.equal(doctor.code, 0, `${doctor.stdout}\n${doctor.stderr}`);
    const lines = doctor.stdout.split('\n').filter((l) => /^(ok|warn|fail)\s/.test(l));
    assert.ok(lines.length >= 15, doctor.stdout);
    assert.deepEqual(lines.filter((l) => !l.startsWith('ok ')), [], 'every check ok');
    assert.match(doctor.stdout, new RegExp(`^${lines.length} ok, 0 warn, 0 fail$`, 'm'));
    assert.match(doctor.stdout, /VPC peering: .*pcc-\w+ \(Activated\)\s+in place/);
    assert.match(doctor.stdout, /DNS record: A record @ -> 172\.16\.\d+\.\d+ in /);

    // destroy, from the same saved file, asks once: "no" changes nothing, "yes" removes what carries our marker.
    const marked = () => markedPaths(World.load(join(stateDir, 'state.json')).data).filter(notHistory);
    const before = marked().length;
    const declined = await session(['--sandbox-state', stateDir, 'destroy', '--sandbox'], cwd, async (t) => {
      await t.waitFor(/\? Make these \d+ changes \(\d+ removals\)\? This cannot be undone\./, 30_000);
      await t.settle();
      t.press('n' + ENTER);
      await t.waitFor(/Nothing was changed\./);
    });
    assert.equal(declined.code, 1, declined.screen.slice(-800));
    assert.equal(marked().length, before, 'declined: everything still there');
    const confirmed = await session(['--sandbox-state', stateDir, 'destroy', '--sandbox'], cwd, async (t) => {
      await t.waitFor(/= Keep RRSA on cluster/, 30_000);
      await t.waitFor(/\? Make these \d+ changes/);
      await t.settle();
      t.press('y' + ENTER);
      await t.waitFor(/Destroy complete: \d+ actions done\./, 60_000);
    });
    assert.equal(confirmed.code, 0, confirmed.screen.slice(-800));
    assert.deepEqual(marked(), [], 'nothing with our marker left');
  });

  it('Ctrl-C midway exits 130 with nothing written: no config file, no write call, the world unchanged', async () => {
    const cwd = tmp('acrx-pty-cancel-');
    const stateFile = join(cwd, 'sandbox', 'state.json');
    createWorld('default').save(stateFile);
    const before = World.load(stateFile).data;
    const { code, screen } = await session(['--sandbox-state', join(cwd, 'sandbox'), '--verbose', 'init', '--sandbox'], cwd, async (t) => {
      await t.select('ACK cluster (account A)', /prod/);
      await t.waitFor(/\? Region of the ACR instance/);
      await t.settle();
      t.press(CTRL_C);
      await t.waitFor(/Cancelled: nothing was written and nothing was changed\./);
    });
    assert.equal(code, 130, screen.slice(-800));
    assert.equal(existsSync(join(cwd, 'acr-xaccount.yaml')), false);
    const calls = [...screen.matchAll(/\[call \d+\] [AB] (\S+) (read|write) /g)];
    assert.ok(calls.length >= 3, 'the wizard looked things up');
    assert.deepEqual(calls.filter((c) => c[2] === 'write').map((c) => c[1]), []);
    const afterwards = World.load(stateFile).data;
    // Every call, read or not, moves the simulated clock and draws a request ID from the ID counter: nothing else moved.
    assert.deepEqual({ ...afterwards, nowMs: 0, seq: 0 }, { ...before, nowMs: 0, seq: 0 });
  });

  it('--step auth re-asks only the auth settings, keeps the rest of the file, and plans only that step', async () => {
    const cwd = tmp('acrx-pty-step-');
    const facts = JSON.parse((await runCli(['sandbox', 'scenarios', '--json'])).stdout).find((s: { name: string }) => s.name === 'default');
    writeFileSync(
      join(cwd, 'acr-xaccount.yaml'),
      `# mine\napiVersion: acr-xaccount/v1\naccountA: { region: cn-hangzhou, clusterId: ${facts.clusterId} }\naccountB: { region: cn-hangzhou, instanceId: ${facts.instanceId} }\n` +
        'network: { mode: peering, dns: privatezone }\nauth: { mode: rrsa, expireDuration: 3600 }\naddon: { edition: self-managed }\n',
    );
    const { code, screen } = await session(['--sandbox-state', join(cwd, 'sandbox'), 'init', '--sandbox', '--step', 'auth'], cwd, async (t) => {
      await t.select('Authorization', /^❯ worker-role\b/);
      await t.input('Lifetime of the temporary credentials', BACKSPACE.repeat(4) + '10800');
      await t.waitFor(/Apply these changes\?|No changes/, 30_000);
      t.press('n' + ENTER);
    });
    assert.doesNotMatch(screen, /\? (ACK cluster|Network path|Name resolution|aliyun-acr-credential-helper edition)/);
    assert.doesNotMatch(screen, /\? Test image for verify/, 'with --step, optional settings of other steps are not asked');
    assert.match(screen, /^auth · account/m, 'the plan has the auth step');
    assert.doesNotMatch(screen, /^(network|dns|addon) · account/m, 'and no other');
    assert.equal(code, 1, screen.slice(-800));
    const text = readFileSync(join(cwd, 'acr-xaccount.yaml'), 'utf8');
    assert.match(text, /^# mine/, 'the file is merged, not rewritten');
    const config = parse(text);
    assert.deepEqual([config.auth.mode, config.auth.expireDuration, config.network.mode, config.addon.edition], ['worker-role', 10800, 'peering', 'self-managed']);
  });

  it('with every setting given it asks nothing, even in a terminal', async () => {
    const cwd = tmp('acrx-pty-flags-');
    // The sandbox scenario supplies the cluster and registry IDs; the flags the rest.
    const flags = ['--network', 'public', '--auth', 'rrsa', '--edition', 'managed', '--dry-run'];
    const { code, screen } = await session(['--sandbox-state', join(cwd, 'sandbox'), 'init', '--sandbox', ...flags], cwd, async (t) => {
      await t.waitFor(/Internet, to the registry's public endpoint/, 30_000);
    });
    assert.equal(code, 0, screen.slice(-800));
    assert.doesNotMatch(screen, /^\? /m, 'no question');
    assert.doesNotMatch(screen, /a few questions/);
  });
});

/** `sandbox serve` in the background: its endpoint and its aliyun CLI profiles file (sandbox-a, sandbox-b). */
function serve(stateDir: string): Promise<{ endpoint: string; profiles: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--sandbox-state', stateDir, 'sandbox', 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      const info = JSON.parse(out.split('\n')[0]!) as { endpoint: string; profiles: string };
      resolve({ ...info, stop: () => child.kill('SIGINT') });
    });
    child.once('close', (code) => reject(new Error(`sandbox serve exited ${code}`)));
  });
}

describe('init in a terminal, with the user\'s aliyun CLI profiles', () => {
  it('lists the profiles, shows whose account each is at once, and refuses B == A inline', async () => {
    const cwd = tmp('acrx-pty-profiles-');
    const sandbox = await serve(join(cwd, 'sandbox'));
    try {
      mkdirSync(join(cwd, '.aliyun'));
      copyFileSync(sandbox.profiles, join(cwd, '.aliyun', 'config.json'));
      const { code, screen } = await session(['--endpoint', `all=${sandbox.endpoint}`, 'init', '--dry-run'], cwd, async (t) => {
        await t.select('Account A (owns the ACK cluster): credentials', /profile sandbox-a/);
        await t.waitFor(/Account A: 1760312345678901\s+acs:ram::1760312345678901:root/);
        await t.select('Account B (owns the ACR registry): credentials', /profile sandbox-a/);
        await t.waitFor(/that is account A again \(1760312345678901\): B must be the account that owns the registry/);
        await t.select('Account B (owns the ACR registry): credentials', /profile sandbox-b/);
        await t.waitFor(/Account B: 1580298765432109/);
        await t.waitFor(/\? ACK cluster \(account A\)/);
        await t.settle();
        t.press(CTRL_C);
      });
      assert.equal(code, 130, screen.slice(-800));
      assert.match(screen, /assume a role in B with A's credentials/, 'B may also be a role assumed with A\'s credentials');
      assert.doesNotMatch(screen, /access_key_secret|LTAI\w{20}/, 'no key material on screen');
    } finally {
      sandbox.stop();
    }
  });
});

describe('init without a terminal', () => {
  it('without --yes and with settings missing, exits non-zero listing the flags, and writes nothing', async () => {
    const cwd = tmp('acrx-notty-');
    const r = await runCli(['--sandbox-state', join(cwd, 'sandbox'), 'init', '--sandbox'], { cwd, env: { HOME: cwd } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /init needs these settings, and there is no terminal to ask for them/);
    assert.match(r.stderr, /network is missing: pass --network public\|peering\|cen/);
    assert.match(r.stderr, /auth is missing: pass --auth rrsa\|worker-role\|access-key/);
    assert.match(r.stderr, /addon is missing: pass --edition managed\|self-managed/);
    assert.equal(existsSync(join(cwd, 'acr-xaccount.yaml')), false);
    const bare = await runCli(['init', '--network', 'cen', '--yes'], { cwd, env: { HOME: cwd } });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /accountA is missing: pass --region-a REGION .* and --cluster-id ID/);
  });
});
