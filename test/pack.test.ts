// The published shape: `npm pack`, install the tarball into an empty folder, run it with npx.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('package', { timeout: 300_000 }, () => {
  it('packs, installs from the tarball into an empty folder, and runs with npx', async () => {
    const out = mkdtempSync(join(tmpdir(), 'acrx-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], { cwd: root, maxBuffer: 32 * 1024 * 1024 });
    const [info] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const files = info.files.map((f) => f.path);
    for (const needed of ['bin/acr-xaccount.js', 'dist/cli.js', 'dist/cloud/session.js', 'schema/acr-xaccount.schema.json', 'README.md', 'package.json']) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('node_modules/')), 'no tests, sources or node_modules shipped');

    const project = mkdtempSync(join(tmpdir(), 'acrx-install-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty', version: '1.0.0', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(out, info.filename)], { cwd: project, maxBuffer: 32 * 1024 * 1024 });

    const env = { ...process.env, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', NO_COLOR: '1' };
    const version = await run('npx', ['--no-install', 'acr-xaccount', '--version'], { cwd: project, env });
    assert.equal(version.stdout.trim(), pkg.version);
    const help = await run('npx', ['--no-install', 'acr-xaccount', 'plan', '--help'], { cwd: project, env });
    assert.match(help.stdout, /--detailed-exitcode/);
    // A real command path from the installed copy: config validation with the installed zod.
    const bad = await run('npx', ['--no-install', 'acr-xaccount', 'plan', '--network', 'cen'], { cwd: project, env }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 1);
    assert.match((bad as { stderr: string }).stderr, /accountA is missing/);
  });
});
