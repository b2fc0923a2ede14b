// Templates are data files under templates/ (shipped with the package), rendered by plain `{{name}}` substitution.
import { readFileSync } from 'node:fs';

// src/templates.ts and dist/templates.js both sit one level below the package root.
const TEMPLATE_DIR = new URL('../templates/', import.meta.url);
const cache = new Map<string, string>();

/** The raw text of templates/<name>, read once. */
export function loadTemplate(name: string): string {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`template name "${name}" must be a plain file name`);
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(name, TEMPLATE_DIR), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** The placeholders a template uses, e.g. `{{clusterId}}` -> `clusterId`. */
export function templatePlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([A-Za-z][\w]*)\s*\}\}/g)].map((m) => m[1]!))];
}

/**
 * Renders templates/<name>: every `{{key}}` becomes `values[key]`. A placeholder without a value, or a value
 * without a placeholder, is a programming error and throws (so a template and its caller cannot drift apart).
 */
export function renderTemplate(name: string, values: Readonly<Record<string, string>>): string {
  const text = loadTemplate(name);
  const used = templatePlaceholders(text);
  const missing = used.filter((k) => values[k] === undefined);
  const unused = Object.keys(values).filter((k) => !used.includes(k));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(`template ${name}: ${missing.length ? `no value for ${missing.join(', ')}` : ''}${missing.length && unused.length ? '; ' : ''}${unused.length ? `no placeholder for ${unused.join(', ')}` : ''}`);
  }
  return text.replace(/\{\{\s*([A-Za-z][\w]*)\s*\}\}/g, (_, key: string) => values[key]!);
}
