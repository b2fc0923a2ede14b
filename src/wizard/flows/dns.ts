// Name resolution for the private paths: PrivateZone or /etc/hosts (public mode needs none: public DNS answers).
import type { DnsMode, NetworkMode } from '../../config/choices.js';
import { UserError } from '../../errors.js';
import { DNS_COMPARISON, optionLabel, renderComparison } from '../comparisons.js';
import type { AskPolicy } from '../policy.js';
import type { Prompter } from '../prompter.js';
import { recommendDns } from '../recommend.js';
import type { ClusterInfo } from '../sources.js';
import { askRecommended } from './recommended.js';

export interface DnsAnswer {
  config: { network?: { dns: DnsMode } };
}

export async function askDns(p: Prompter, policy: AskPolicy, cluster: ClusterInfo, network: NetworkMode): Promise<DnsAnswer> {
  if (network === 'public') return { config: {} };
  const rec = recommendDns(cluster);
  const given = policy.text('network.dns') as DnsMode | undefined;
  if (!policy.asks('network.dns')) {
    const refused = rec.options.find((o) => o.value === given)?.disabled;
    if (refused) throw new UserError(`${policy.origin('network.dns')} cannot work here: ${refused}.`);
    return { config: {} };
  }
  for (const line of renderComparison(DNS_COMPARISON)) p.note(line, 'dim');
  const dns = await askRecommended(p, { id: 'network.dns', message: 'Name resolution', label: (m) => optionLabel(DNS_COMPARISON, m), current: given }, rec);
  return { config: { network: { dns } } };
}
