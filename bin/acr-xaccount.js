#!/usr/bin/env node
// Tiny launcher. --help and --version are answered from text rendered at build time (dist/help.json), so they
// load neither commander nor the CLI; everything else runs dist/cli.js.
import { readFileSync } from 'node:fs';

/** The stored answer for `[cmd...] --help`, `help [cmd...]` or `--version`, or undefined to run the CLI. */
function storedAnswer(args) {
  const wantsVersion = args.length === 1 && (args[0] === '--version' || args[0] === '-V');
  const last = args.at(-1);
  const wantsHelp = last === '--help' || last === '-h' || args[0] === 'help';
  if (!wantsVersion && !wantsHelp) return undefined;
  let stored;
  try {
    stored = JSON.parse(readFileSync(new URL('../dist/help.json', import.meta.url), 'utf8'));
  } catch {
    return undefined;
  }
  if (wantsVersion) return `${stored.version}\n`;
  // Narrower terminals get commander's own wrapping.
  if (process.stdout.isTTY && (process.stdout.columns ?? stored.width) < stored.width) return undefined;
  const path = args[0] === 'help' ? args.slice(1) : args.slice(0, -1);
  return stored.help[path.join(' ')];
}

const answer = storedAnswer(process.argv.slice(2));
if (answer !== undefined) {
  process.stdout.write(answer);
} else {
  const { main } = await import('../dist/cli.js');
  process.exitCode = await main(process.argv);
}
