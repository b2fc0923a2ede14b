// Shared by the network/DNS end-to-end tests: run the BUILT CLI against a fresh sandbox state, read the saved
// world, and check the network path the sandbox's kubelet would use. (Run `npm run build` first.)
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkNetworkPath, type NetworkPathCheck } from '../src/sandbox/pull.js';
import { sandboxMeta } from '../src/sandbox/scenarios.js';
import { clusterFacts } from '../src/sandbox/state/cs-seed.js';
import { World } from '../src/sandbox/world.js';
import { runCli, type CliResult } from './helpers/cli.js';

/** Steps 2 and 3 are not run, but the config needs their choices. */
export const OTHER_CHOICES = ['--auth', 'rrsa', '--edition', 'managed'];

export interface Run {
  /** The sandbox state folder. */
  state: string;
  cwd: string;
}

export const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

export function freshRun(): Run {
  return { state: tmp('acrx-net-state-'), cwd: tmp('acrx-net-cwd-') };
}

/** `acr-xaccount --sandbox-state DIR <command> --sandbox --step network --step dns ...` in an empty folder. */
export function cli(run: Run, command: string, args: string[]): Promise<CliResult> {
  return runCli(['--sandbox-state', run.state, command, '--sandbox', '--step', 'network', '--step', 'dns', ...OTHER_CHOICES, ...args], { cwd: run.cwd });
}

export const modeArgs = (network: string, dns: string, scenario?: string): string[] => [
  '--network', network, '--dns', dns, ...(scenario ? ['--sandbox-scenario', scenario] : []),
];

/** The write calls a `--verbose` run made (a refused dry-run write shows as `blocked` and is not counted). */
export function writeCalls(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^\[call \d+\] \S+ \S+ write /.test(l) && !/ write blocked /.test(l));
}

export const loadWorld = (run: Run): World => World.load(join(run.state, 'state.json'));

export function scenarioFacts(world: World): { clusterId: string; vpcDomain: string; internetDomain: string; [k: string]: unknown } {
  const f = sandboxMeta(world).facts;
  return { ...f, clusterId: String(f.clusterId), vpcDomain: String(f.registryVpcDomain), internetDomain: String(f.registryInternetDomain) };
}

/** The image pods would pull: over the Internet domain in public mode, the VPC domain otherwise. */
export function imageFor(world: World, network: string): string {
  const f = scenarioFacts(world);
  return `${network === 'public' ? f.internetDomain : f.vpcDomain}/team/app:1.4.2`;
}

/** Asserts registry, auth and OSS resolve and are reachable from every worker node (or the one given). */
export function assertPathWorks(world: World, network: string, nodes?: string[]): NetworkPathCheck[] {
  const { clusterId } = scenarioFacts(world);
  const workers = nodes ?? clusterFacts(world, clusterId)!.nodes.filter((n) => n.role === 'Worker').map((n) => n.instanceId);
  const ids = workers.length > 0 ? workers : [undefined];
  return ids.map((id) => {
    const check = checkNetworkPath(world, clusterId, imageFor(world, network), id);
    for (const part of ['registry', 'auth', 'oss'] as const) {
      assert.ok(check[part].ok, `${part} from ${check.node}: ${check[part].message ?? ''} (${check[part].detail ?? ''})`);
      assert.ok(check[part].ip, `${part} resolves from ${check.node}`);
    }
    return check;
  });
}

/** apply, then a plan that must show no change (exit 0 with --detailed-exitcode); returns the saved world. */
export async function applyAndReplan(run: Run, network: string, dns: string, scenario: string, extra: string[] = []): Promise<{ world: World; apply: CliResult; plan: CliResult }> {
  const apply = await cli(run, 'apply', [...modeArgs(network, dns, scenario), '--yes', ...extra]);
  assert.equal(apply.code, 0, `apply failed:\n${apply.stderr}\n${apply.stdout}`);
  assert.match(apply.stderr, /Apply complete/);
  const plan = await cli(run, 'plan', [...modeArgs(network, dns), '--detailed-exitcode', ...extra]);
  assert.equal(plan.code, 0, `the second plan shows changes:\n${plan.stdout}\n${plan.stderr}`);
  assert.match(plan.stdout, /No changes\./);
  return { world: loadWorld(run), apply, plan };
}
