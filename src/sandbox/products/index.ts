// Every simulated product, as the server routes to them.
import type { ProductModule } from '../api.js';
import { cbn } from './cbn.js';
import { cr } from './cr.js';
import { cs } from './cs.js';
import { ecs } from './ecs.js';
import { ims } from './ims.js';
import { pvtz } from './pvtz.js';
import { ram } from './ram.js';
import { sts } from './sts.js';
import { vpc } from './vpc.js';
import { vpcpeer } from './vpcpeer.js';

export const PRODUCT_MODULES: readonly ProductModule[] = [ram, sts, ims, vpc, vpcpeer, cbn, pvtz, cr, ecs, cs];
