// `sandbox serve|reset|scenarios`: the embedded simulator arrives with issue #3.
import { NotYetImplementedError } from '../errors.js';
import type { CommandContext } from './context.js';

const pending = (what: string) => async (_ctx: CommandContext): Promise<number> => {
  throw new NotYetImplementedError(`\`sandbox ${what}\` (the embedded Alibaba Cloud simulator, issue #3)`);
};

export const serve = pending('serve');
export const reset = pending('reset');
export const scenarios = pending('scenarios');
