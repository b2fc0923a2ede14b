// The JSON Schema editors use for acr-xaccount.yaml, generated from the zod schema (never written by hand).
import { z } from 'zod';

import { configSchema } from './schema.js';


export function buildJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'acr-xaccount configuration',
    description: 'Settings for acr-xaccount (cross-account ACR image pulls for ACK). Holds no secrets.',
  };
}
