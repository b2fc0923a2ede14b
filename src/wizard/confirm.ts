// The one question before a change: asked on stderr so stdout stays clean for results.
import { confirm } from '@inquirer/prompts';

export async function confirmApply(message: string): Promise<boolean> {
  try {
    return await confirm({ message, default: false }, { output: process.stderr });
  } catch (error) {
    // Ctrl-C while asking: treat as "no", nothing has been written yet.
    if (error instanceof Error && error.name === 'ExitPromptError') return false;
    throw error;
  }
}
