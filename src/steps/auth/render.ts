// Policy, trust and helper-config data from templates/: values substituted as escaped text, then parsed.
import { parse as parseYaml } from 'yaml';

import { renderTemplate } from '../../templates.js';

// Placeholders for strings sit inside double quotes (JSON, and YAML's JSON-compatible quoted style): escape for that.
const escaped = (value: string): string => JSON.stringify(value).slice(1, -1);

/** Renders templates/<name> (JSON or YAML) with `values` and returns the parsed data. */
export function renderData<T>(name: string, values: Readonly<Record<string, string | number>>): T {
  const text = renderTemplate(name, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? String(v) : escaped(v)])));
  return (name.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as T;
}
