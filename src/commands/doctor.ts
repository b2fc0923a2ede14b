// `doctor`: read-only, link by link (like `az aks check-acr`). The session is opened in dry-run mode, so the cloud
// layer refuses any write; the report is a table (or --json), exit code 1 on any failing link.
import { exitCode, runDoctor } from '../doctor/index.js';
import { renderChecks } from '../doctor/render.js';
import { selectSteps } from '../steps/index.js';
import type { CommandContext } from './context.js';
import { openSession } from './session.js';
import { stepClients } from './workflow.js';

export async function run(ctx: CommandContext): Promise<number> {
  const session = await openSession(ctx, true);
  const checks = await runDoctor(session.config, session.identities, stepClients(ctx, session), selectSteps(ctx.options.step));
  if (ctx.ui.json) ctx.ui.out(JSON.stringify(checks, null, 2));
  else ctx.ui.out(`${session.accountLabels.A} -> ${session.accountLabels.B}\n\n${renderChecks(checks, ctx.ui.c)}`);
  return exitCode(checks);
}
