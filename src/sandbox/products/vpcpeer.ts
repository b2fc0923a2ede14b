// vpcpeer: handlers arrive with the sandbox work on issue #3 (this module is registered so the server can route to it).
import type { ProductModule } from '../api.js';

export const vpcpeer: ProductModule = { product: 'vpcpeer', rpc: {}, roa: {} };
