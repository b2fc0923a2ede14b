// `sandbox serve|reset|scenarios`: the embedded simulator on its own, for the aliyun CLI, scripts and tests.
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { UserError } from '../errors.js';
import type { CommandContext } from './context.js';

const sandboxDir = async (ctx: CommandContext): Promise<string> => {
  const { DEFAULT_SANDBOX_DIR } = await import('../sandbox/index.js');
  return resolve(ctx.options.sandboxState ?? DEFAULT_SANDBOX_DIR);
};

function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag}: expected a whole number, got "${String(value)}".`);
  return n;
}

/** Runs in the foreground until Ctrl-C; prints one JSON line a script can read. */
export async function serve(ctx: CommandContext): Promise<number> {
  const { startSandbox, SandboxStateError } = await import('../sandbox/index.js');
  const { parseFault } = await import('../sandbox/faults.js');
  const faults = (ctx.options.fault as string[] | undefined) ?? [];
  for (const fault of faults) {
    try {
      parseFault(fault);
    } catch (error) {
      throw new UserError((error as Error).message);
    }
  }
  const dir = await sandboxDir(ctx);
  let sandbox;
  try {
    sandbox = await startSandbox({
      dir,
      stateFile: ctx.options.state ? resolve(String(ctx.options.state)) : undefined,
      scenario: ctx.options.scenario as string | undefined,
      port: positiveInt(ctx.options.port, '--port'),
      latencyMs: positiveInt(ctx.options.latency, '--latency'),
      faults,
    });
  } catch (error) {
    if (error instanceof SandboxStateError) throw new UserError(error.message);
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new UserError(`--port ${String(ctx.options.port)} is in use: pick another, or leave --port out for any free port.`);
    throw error;
  }
  const clusterId = sandbox.meta.facts.clusterId;
  ctx.ui.out(
    JSON.stringify({
      endpoint: sandbox.url,
      kubernetes: typeof clusterId === 'string' ? sandbox.kubeUrl(clusterId) : null,
      accounts: {
        A: { accountId: sandbox.accounts.A.accountId, accessKeyId: sandbox.accounts.A.accessKeyId, profile: 'sandbox-a' },
        B: { accountId: sandbox.accounts.B.accountId, accessKeyId: sandbox.accounts.B.accessKeyId, profile: 'sandbox-b' },
      },
      profiles: sandbox.profilesFile,
      state: sandbox.stateFile,
      scenario: sandbox.world.data.scenario,
    }),
  );
  ctx.ui.err(`Sandbox listening on ${sandbox.url}; Ctrl-C stops it (the world is saved after every change).`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  return 0;
}

export async function reset(ctx: CommandContext): Promise<number> {
  const dir = await sandboxDir(ctx);
  const files = ['state.json', 'aliyun-config.json'].map((f) => join(dir, f)).filter((f) => existsSync(f));
  for (const file of files) rmSync(file);
  ctx.ui.err(files.length > 0 ? `Removed ${files.join(', ')}. The next sandbox run starts from its scenario.` : `Nothing to reset in ${dir}.`);
  return 0;
}

export async function scenarios(ctx: CommandContext): Promise<number> {
  const { SCENARIOS, createWorld, sandboxMeta } = await import('../sandbox/scenarios.js');
  if (ctx.ui.json) {
    const described = SCENARIOS.map((s) => {
      const meta = sandboxMeta(createWorld(s.name));
      return { name: s.name, description: s.description, accounts: meta.accounts, ...meta.facts };
    });
    ctx.ui.out(JSON.stringify(described, null, 2));
    return 0;
  }
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  for (const s of SCENARIOS) ctx.ui.out(`${s.name.padEnd(width)}  ${s.description}`);
  return 0;
}
