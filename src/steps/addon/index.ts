// The add-on step (seed "Step 2.3"): the credential helper, managed (config through CS) or self-managed (installed
// through CS, configured through the Kubernetes API), and a restart when RRSA came after the helper started.
import { authReadyActions, isPlanning, markPlanning } from '../auth/together.js';
import type { StepModule } from '../step.js';
import { discoverAddon, type AddonFacts } from './facts.js';
import { managedActions } from './managed.js';
import { addonPreflight } from './preflight.js';
import { restartAction } from './restart.js';
import { helperConfigAction, selfManagedInstallAction } from './self-managed.js';

export const step: StepModule<AddonFacts> = {
  name: 'addon',
  discover(config, base, clients) {
    markPlanning(config, 'addon');
    return discoverAddon(config, base, clients);
  },
  preflight: addonPreflight,
  plan(config, facts, base, clients) {
    // Installing waits for auth (RRSA keeps the cluster busy; the entry needs its roles, provider or key).
    const afterAuth = isPlanning(config, 'auth') ? authReadyActions(config) : [];
    if (config.addon.edition === 'managed') {
      const actions = managedActions(config, facts, base, clients, afterAuth);
      const restart = restartAction(config, facts, base, clients, ['addon.install']);
      return restart ? [...actions, restart] : actions;
    }
    const install = selfManagedInstallAction(config, facts, clients, afterAuth);
    const configure = helperConfigAction(config, facts, base, clients, ['addon.install', ...afterAuth]);
    const restart = restartAction(config, facts, base, clients, ['addon.config']);
    return restart ? [install, configure, restart] : [install, configure];
  },
};
