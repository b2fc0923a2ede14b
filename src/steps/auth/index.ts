// The auth step (seed "Step 2", authorization): RRSA, the worker role, or a RAM user's AccessKey.
import type { StepModule } from '../step.js';
import { accessKeyActions } from './access-key.js';
import { discoverAuth, type AuthFacts } from './facts.js';
import { authPreflight } from './preflight.js';
import { rrsaActions } from './rrsa.js';
import { authTeardown } from './teardown.js';
import { discoverAuthTeardown } from './teardown-facts.js';
import { workerRoleActions } from './worker-role.js';

export const step: StepModule<AuthFacts> = {
  name: 'auth',
  discover: discoverAuth,
  preflight: authPreflight,
  plan(config, facts, base, clients) {
    switch (config.auth.mode) {
      case 'rrsa':
        return rrsaActions(config, facts, base, clients);
      case 'worker-role':
        return workerRoleActions(config, facts, base, clients);
      case 'access-key':
        return accessKeyActions(config, facts, base, clients);
    }
  },
  discoverTeardown: discoverAuthTeardown,
  teardown: authTeardown,
};
