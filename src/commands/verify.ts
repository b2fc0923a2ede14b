// `verify`: validates the config and confirms both accounts; the rest arrives with its issue.
import { NotYetImplementedError } from '../errors.js';
import type { CommandContext } from './context.js';
import { openSession } from './session.js';

export async function run(ctx: CommandContext): Promise<number> {
  const session = await openSession(ctx, true);
  throw new NotYetImplementedError(`Accounts confirmed (${session.accountLabels.A}, ${session.accountLabels.B}). \`verify\` (the test pull, issue #6)`);
}
