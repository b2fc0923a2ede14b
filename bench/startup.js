#!/usr/bin/env node
// Startup cost of the CLI: `acr-xaccount --help` against `node -e 0`, both measured in this run.
// Prints the ratio of the medians; the target is at most 1.5 (issue #2). Run: npm run bench
// Also reported: `plan --help --no-color`, which goes through commander instead of the stored help text.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const bin = fileURLToPath(new URL('../bin/acr-xaccount.js', import.meta.url));

function timeOnce(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Interleave the two so drift in machine load hits both alike; one warm-up run each.
timeOnce(['-e', '0']);
timeOnce([bin, '--help']);
const baseline = [];
const cli = [];
const viaCommander = [];
for (let i = 0; i < RUNS; i++) {
  baseline.push(timeOnce(['-e', '0']));
  cli.push(timeOnce([bin, '--help']));
  viaCommander.push(timeOnce([bin, 'plan', '--help', '--no-color']));
}
const ratio = median(cli) / median(baseline);
console.log(JSON.stringify({
  bench: 'startup',
  runs: RUNS,
  baselineMedianMs: Number(median(baseline).toFixed(1)),
  helpMedianMs: Number(median(cli).toFixed(1)),
  ratio: Number(ratio.toFixed(2)),
  viaCommanderMedianMs: Number(median(viaCommander).toFixed(1)),
  viaCommanderRatio: Number((median(viaCommander) / median(baseline)).toFixed(2)),
  target: 1.5,
  withinTarget: ratio <= 1.5,
}));
