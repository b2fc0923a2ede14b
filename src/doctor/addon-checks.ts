// The add-on: the chosen edition installed and healthy (how it is configured for this instance is checked by the
// add-on step's plan: a noop means the managed config or the ConfigMap entry already names this instance).
import type { Config } from '../config/schema.js';
import { ADDON_NAME, type AddonFacts } from '../steps/addon/facts.js';
import { fail, ok, warn, type Check } from './check.js';

export function addonInstalledCheck(config: Config, f: AddonFacts): Check {
  const edition = config.addon.edition;
  const other = edition === 'managed' ? 'self-managed' : 'managed';
  const title = 'add-on installed';
  const fix = 'run `acr-xaccount apply --step addon` with the same flags';
  const mine = f.installed[edition];
  if (!mine) {
    const instead = f.installed[other];
    const detail = instead ? `${ADDON_NAME[other]} (the ${other} edition) is installed, not ${ADDON_NAME[edition]}` : `${ADDON_NAME[edition]} is not installed`;
    return fail('addon.installed', title, detail, instead ? `use --edition ${other}, or ${fix} --replace-edition` : fix);
  }
  if (mine.state !== 'active') return warn('addon.installed', title, `${ADDON_NAME[edition]} ${mine.version} is ${mine.state || 'in an unknown state'}`, 'wait for it, or check the add-on in the ACK console (Operations > Add-ons)');
  return ok('addon.installed', title, `${ADDON_NAME[edition]} ${mine.version} active`);
}
