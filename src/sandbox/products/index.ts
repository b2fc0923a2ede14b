// Every simulated product, as the server routes to them.
import type { ProductModule } from '../api.js';
import { sts } from './sts.js';

export const PRODUCT_MODULES: readonly ProductModule[] = [sts];
