// Writes schema/acr-xaccount.schema.json from the compiled zod schema; `--check` fails when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';

const { buildJsonSchema } = await import('../dist/config/json-schema.js');
const target = new URL('../schema/acr-xaccount.schema.json', import.meta.url);
const text = `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('schema/acr-xaccount.schema.json is stale: run `npm run build` and commit it.');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
