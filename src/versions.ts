// Dotted version numbers compared as the cloud's gates compare them: `1.31.1-aliyun.1` >= `1.22` (Kubernetes),
// `v23.02.06.1-74e2172-aliyun` >= `v23.02.06.1-74e2172` (add-ons). Shared by the steps, the wizard and the sandbox.

/** The numbers before the first `-`, a leading `v` dropped: `v1.31.1-aliyun.1` -> [1, 31, 1]. */
export function versionNumbers(version: string): number[] {
  return version.replace(/^v/, '').split('-')[0]!.split('.').map((p) => Number(p) || 0);
}

/** Whether `version` is `minimum` or later; missing parts count as 0 (`1.22` = `1.22.0`). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = versionNumbers(version);
  const b = versionNumbers(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}
