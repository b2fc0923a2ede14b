// The add-on step (seed "Step 2.3"): the credential helper, managed (config through CS) or self-managed (installed
// through CS, configured through the Kubernetes API), a restart when RRSA came after the helper started, and with
// --replace-edition the other edition uninstalled first (ACK runs one edition at a time). `destroy` takes our entry
// out again and keeps the add-on unless --remove-addon (teardown.ts).
import type { Action } from '../../plan/action.js';
import { authReadyActions } from '../auth/ready.js';
import type { StepModule } from '../step.js';
import { discoverAddon, type AddonFacts } from './facts.js';
import { managedActions } from './managed.js';
import { addonPreflight } from './preflight.js';
import { UNINSTALL_ID, uninstallOtherAction } from './replace.js';
import { restartAction } from './restart.js';
import { helperConfigAction, selfManagedInstallAction } from './self-managed.js';
import { addonTeardown } from './teardown.js';
import { discoverAddonTeardown } from './teardown-facts.js';

export const step: StepModule<AddonFacts> = {
  name: 'addon',
  discover: discoverAddon,
  preflight: addonPreflight,
  plan(config, facts, base, clients) {
    // Installing waits for auth (RRSA keeps the cluster busy; the entry needs its roles, provider or key).
    const afterAuth = base.steps.includes('auth') ? authReadyActions(config) : [];
    const uninstall = uninstallOtherAction(config, facts, clients, afterAuth);
    const beforeInstall = uninstall ? [...afterAuth, UNINSTALL_ID] : afterAuth;
    // The replaced edition's pods go with it; ours start after auth, so no pod predates RRSA.
    const restart = (after: string[]) => (uninstall ? undefined : restartAction(config, facts, base, clients, after));
    const actions: (Action | undefined)[] = [uninstall];
    if (config.addon.edition === 'managed') {
      actions.push(...managedActions(config, facts, base, clients, beforeInstall), restart(['addon.install']));
    } else {
      const install = selfManagedInstallAction(config, facts, clients, beforeInstall);
      const configure = helperConfigAction(config, facts, base, clients, ['addon.install', ...afterAuth]);
      actions.push(install, configure, restart(['addon.config']));
    }
    return actions.filter((a): a is Action => a !== undefined);
  },
  discoverTeardown: discoverAddonTeardown,
  teardown: addonTeardown,
};
