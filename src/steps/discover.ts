// Discovery shared by every step: the cluster in A and the registry in B, read in parallel.
import type { StepName } from '../config/choices.js';
import type { Config } from '../config/schema.js';
import type { Identities } from '../cloud/identity.js';
import { describeError, UserError } from '../errors.js';
import type { BaseFacts, StepClients, TeardownBase } from './step.js';

/** The cluster and the registry instance, each undefined when its account has none of that ID. */
async function readBase(config: Config, clients: StepClients) {
  const [cs, cr] = await Promise.all([import('../cloud/cs.js'), import('../cloud/cr.js')]);
  const { clusterId } = config.accountA;
  const { instanceId } = config.accountB;
  const reading = (what: string) => (error: unknown): never => {
    throw new UserError(`could not read ${what}: ${describeError(error)}\nCheck that the profile has the read permissions listed in the README ("RAM permissions").`);
  };
  const [cluster, instance, endpoints, vpcEndpoint] = await Promise.all([
    cs.describeClusterDetail(clients.A, clusterId).catch(reading(`cluster ${clusterId} in account A`)),
    cr.getInstance(clients.B, instanceId).catch(reading(`ACR instance ${instanceId} in account B`)),
    cr.listInstanceEndpoint(clients.B, instanceId).catch(() => []),
    cr.getInstanceVpcEndpoint(clients.B, instanceId).catch(() => undefined),
  ]);
  return { cluster, instance, registry: { endpoints, vpcEndpoint } };
}

function noInstance(config: Config, identities: Identities): UserError {
  return new UserError(
    `account B (${identities.B.accountId}) has no ACR instance ${config.accountB.instanceId} in ${config.accountB.region}: check --instance-id and --region-b, ` +
      'and that --profile-b (or --role-b) is the registry owner.',
  );
}

/** `steps`: the steps the caller runs together (BaseFacts.steps). */
export async function discoverBase(config: Config, identities: Identities, clients: StepClients, steps: readonly StepName[]): Promise<BaseFacts> {
  const { cluster, instance, registry } = await readBase(config, clients);
  if (!cluster) {
    throw new UserError(
      `account A (${identities.A.accountId}) has no ACK cluster ${config.accountA.clusterId} in ${config.accountA.region}: check --cluster-id and --region-a ` +
        '(`aliyun cs DescribeClustersV1` lists them), and that --profile-a is the cluster owner.',
    );
  }
  if (!instance) throw noInstance(config, identities);
  return { identities, steps, cluster, registry: { instance, ...registry } };
}

/** `destroy`'s start: a cluster deleted before destroy is no reason to keep what we made around it (the registry must be there). */
export async function discoverTeardownBase(config: Config, identities: Identities, clients: StepClients, steps: readonly StepName[]): Promise<TeardownBase> {
  const { cluster, instance, registry } = await readBase(config, clients);
  if (!instance) throw noInstance(config, identities);
  return { identities, steps, cluster, registry: { instance, ...registry } };
}
