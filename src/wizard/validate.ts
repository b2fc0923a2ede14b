// Inline checks of typed answers, from the config schema itself so a value the wizard accepts is one the file accepts.
import type { z } from 'zod';

import { EXPIRE_DURATION_MAX, EXPIRE_DURATION_MIN } from '../config/choices.js';
import { accountASchema, accountBSchema, addonSchema, networkSchema } from '../config/schema.js';
import { cidrContains } from '../steps/network/cidr.js';
import type { AddressBlock } from './recommend.js';
import type { Validator } from './prompter.js';

/** The schema's own message for a bad value, or true. */
function bySchema(schema: z.ZodType, value: unknown): true | string {
  const result = schema.safeParse(value);
  return result.success ? true : (result.error.issues[0]?.message ?? 'not accepted');
}

/** Comma- or space-separated items, trimmed, empty ones dropped. */
export const splitList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export const clusterIdFormat: Validator = (v) => bySchema(accountASchema.shape.clusterId, v.trim());
export const instanceIdFormat: Validator = (v) => bySchema(accountBSchema.shape.instanceId, v.trim());
export const regionFormat: Validator = (v) => bySchema(accountBSchema.shape.region, v.trim());
export const roleArnFormat: Validator = (v) => bySchema(accountBSchema.shape.roleArn, v.trim());
export const domainFormat: Validator = (v) => bySchema(networkSchema.shape.authDomain, v.trim());

/** A whole number within [min, max]. */
export function wholeNumber(min: number, max: number): Validator {
  return (v) => (/^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max ? true : `enter a whole number from ${min} to ${max}`);
}

export const expireDuration: Validator = wholeNumber(EXPIRE_DURATION_MIN, EXPIRE_DURATION_MAX);

/** An address of B's VPC (auth service or OSS) that must not fall inside A's address space (seed FAQ on 100.0.0.0/8). */
export function serviceAddress(space: readonly AddressBlock[]): Validator {
  return (v) => {
    const format = bySchema(networkSchema.shape.authIp, v.trim());
    if (format !== true) return format;
    const clash = space.find((block) => cidrContains(block.cidr, v.trim()));
    return clash
      ? `${v.trim()} lies inside ${clash.label} ${clash.cidr}: A would route it locally (seed FAQ on 100.0.0.0/8 conflicts; for the auth domain, enable the instance's auth-domain takeover)`
      : true;
  };
}

/** Extra CIDRs for the public endpoint's ACL; 0.0.0.0/0 only when --allow-anywhere was given. */
export function aclCidrs(allowAnywhere: boolean): Validator {
  return (v) => {
    for (const item of splitList(v)) {
      const format = bySchema(networkSchema.shape.aclCidrs.unwrap().element, item);
      if (format !== true) return `${item}: ${format}`;
      if (item.endsWith('/0') && !allowAnywhere) return `${item} opens the registry to the whole Internet: leave it out (or pass --allow-anywhere if that is really meant)`;
    }
    return true;
  };
}

/** Kubernetes names (namespaces may also be `all`). */
export function kubeNames(allowAll: boolean): Validator {
  const schema = allowAll ? addonSchema.shape.watchNamespaces.unwrap() : addonSchema.shape.serviceAccounts.unwrap();
  return (v) => {
    const items = splitList(v);
    if (items.length === 0) return allowAll ? 'enter at least one namespace, or all' : 'enter at least one service account';
    if (allowAll && items.includes('all') && items.length > 1) return '"all" already covers every namespace: enter all, or a list of namespaces';
    return bySchema(schema, items);
  };
}
