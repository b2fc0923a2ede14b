// The simulated cluster's Kubernetes API driven by the real @kubernetes/client-node through the sandbox server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';

import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { createKubeHandler, kubeStore, seedKubeCluster, setClusterToken, setPodDecider, type KubeObject } from '../src/sandbox/kube/index.js';
import { issueKubeToken } from '../src/sandbox/state/cs.js';
import { seedCluster } from '../src/sandbox/state/cs-seed.js';
import { seedInstance } from '../src/sandbox/state/ecs.js';
import { vpcState } from '../src/sandbox/state/vpc.js';

const CLUSTER = 'c0kubetest000000000000000000000001';
const TOKEN = 'sandbox-kube-test-token';
const NS = 'apps';

let sandbox: RunningSandbox;
let core: CoreV1Api;
let apps: AppsV1Api;
let kc: KubeConfig;

/** A kubeconfig as a user writes one: the sandbox serves plain HTTP, which client-node only allows with skip-TLS-verify. */
function kubeconfigFor(server: string, token: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: sandbox',
      '  cluster:',
      `    server: ${server}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: tester',
      '  user:',
      `    token: ${token}`,
      'contexts:',
      '- name: sandbox',
      '  context: {cluster: sandbox, user: tester}',
      'current-context: sandbox',
    ].join('\n'),
  );
  return config;
}

/** The client throws ApiException with the HTTP code and the raw body: a Status object. */
async function rejectsWithStatus(promise: Promise<unknown>, code: number, reason: string): Promise<Record<string, any>> {
  let status: Record<string, any> = {};
  await assert.rejects(promise, (error: any) => {
    assert.equal(error.code, code);
    status = JSON.parse(String(error.body));
    assert.equal(status.kind, 'Status');
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, reason);
    assert.equal(status.code, code);
    return true;
  });
  return status;
}

function seedNodes(count: number): void {
  const A = sandbox.accounts.A.accountId;
  const vpcId = String(sandbox.meta.facts.vpcA);
  const vsw = Object.values(vpcState(sandbox.world, A).vswitches).find((v) => v.vpcId === vpcId)!;
  for (let i = 0; i < count; i++) {
    seedInstance(sandbox.world, A, { regionId: 'cn-hangzhou', zoneId: vsw.zoneId, vpcId, vSwitchId: vsw.vSwitchId, privateIp: `192.168.0.${20 + i}`, name: `node-${i}`, cloudAssistant: true, clusterId: CLUSTER });
  }
}

const deploymentBody = (name: string, image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }], ...extra } } },
});

before(async () => {
  sandbox = await startSandbox({ ephemeral: true, scenario: 'bare', kube: createKubeHandler });
  seedNodes(2);
  seedKubeCluster(sandbox.world, CLUSTER, { namespaces: [NS] });
  setClusterToken(sandbox.world, CLUSTER, TOKEN);
  kc = kubeconfigFor(sandbox.kubeUrl(CLUSTER), TOKEN);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});
after(async () => {
  setPodDecider(undefined);
  await sandbox.close();
});

describe('sandbox Kubernetes API: discovery and namespaces', () => {
  it('lists the namespaces a fresh cluster has, each with its default ServiceAccount and root CA', async () => {
    const list = await core.listNamespace();
    assert.deepEqual(list.items.map((n) => n.metadata?.name), [NS, 'default', 'kube-node-lease', 'kube-public', 'kube-system']);
    assert.equal(list.items[0]!.status?.phase, 'Active');
    assert.equal(list.items[0]!.metadata?.labels?.['kubernetes.io/metadata.name'], NS);
    for (const ns of ['default', 'kube-system', 'kube-public', NS]) {
      const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: ns });
      assert.ok(sa.metadata?.uid);
      assert.ok((await core.readNamespacedConfigMap({ name: 'kube-root-ca.crt', namespace: ns })).data?.['ca.crt']);
    }
  });

  it('serves /version and discovery so KubernetesObjectApi resolves core and apps kinds', async () => {
    const version = (await (await fetch(`${sandbox.kubeUrl(CLUSTER)}/version`)).json()) as Record<string, string>;
    assert.equal(version.major, '1');
    assert.match(version.gitVersion, /^v1\.\d+/);
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const cm = await objects.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'via-object-api', namespace: NS }, data: { k: 'v' } } as V1ConfigMap);
    assert.equal(cm.metadata?.name, 'via-object-api');
    const list = await objects.list('apps/v1', 'Deployment', NS);
    assert.deepEqual(list.items, []);
    await objects.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'via-object-api', namespace: NS } });
  });

  it('refuses to delete kube-system (Forbidden); a deleted namespace takes its objects along', async () => {
    await rejectsWithStatus(core.deleteNamespace({ name: 'kube-system' }), 403, 'Forbidden');
    await core.createNamespace({ body: { metadata: { name: 'scratch' } } });
    await core.createNamespacedConfigMap({ namespace: 'scratch', body: { metadata: { name: 'x' } } });
    await core.deleteNamespace({ name: 'scratch' });
    await rejectsWithStatus(core.readNamespacedConfigMap({ name: 'x', namespace: 'scratch' }), 404, 'NotFound');
    const status = await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: 'scratch', body: { metadata: { name: 'y' } } }), 404, 'NotFound');
    assert.equal(status.message, 'namespaces "scratch" not found');
  });
});

describe('sandbox Kubernetes API: ConfigMaps', () => {
  it('creates, reads, merge-patches, JSON-patches, replaces with conflict detection and deletes', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'acr-configuration', labels: { team: 'a' } }, data: { 'watch-namespace': 'default' } } });
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    const rv1 = Number(created.metadata?.resourceVersion);

    const duplicate = await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'acr-configuration' } } }), 409, 'AlreadyExists');
    assert.equal(duplicate.message, 'configmaps "acr-configuration" already exists');
    assert.deepEqual(duplicate.details, { name: 'acr-configuration', kind: 'configmaps' });

    const read = await core.readNamespacedConfigMap({ name: 'acr-configuration', namespace: NS });
    assert.equal(read.data?.['watch-namespace'], 'default');

    const merged = await core.patchNamespacedConfigMap(
      { name: 'acr-configuration', namespace: NS, body: { data: { 'expiring-threshold': '15m', 'watch-namespace': null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.data, { 'expiring-threshold': '15m' });
    assert.ok(Number(merged.metadata?.resourceVersion) > rv1);

    // client-node 1.x sends JSON patch by default.
    const patched = await core.patchNamespacedConfigMap({ name: 'acr-configuration', namespace: NS, body: [{ op: 'add', path: '/data/service-account', value: 'default' }, { op: 'replace', path: '/data/expiring-threshold', value: '30m' }] });
    assert.deepEqual(patched.data, { 'expiring-threshold': '30m', 'service-account': 'default' });
    const failedTest = await rejectsWithStatus(core.patchNamespacedConfigMap({ name: 'acr-configuration', namespace: NS, body: [{ op: 'test', path: '/data/service-account', value: 'other' }] }), 422, 'Invalid');
    assert.match(failedTest.details.causes[0].message, /test failed/);
    await rejectsWithStatus(core.patchNamespacedConfigMap({ name: 'acr-configuration', namespace: NS, body: [{ op: 'remove', path: '/data/missing' }] }), 422, 'Invalid');

    const stale = { ...read, data: { overwritten: 'yes' } };
    const conflict = await rejectsWithStatus(core.replaceNamespacedConfigMap({ name: 'acr-configuration', namespace: NS, body: stale }), 409, 'Conflict');
    assert.match(conflict.message, /^Operation cannot be fulfilled on configmaps "acr-configuration": the object has been modified/);
    const replaced = await core.replaceNamespacedConfigMap({ name: 'acr-configuration', namespace: NS, body: { ...patched, data: { overwritten: 'yes' } } });
    assert.deepEqual(replaced.data, { overwritten: 'yes' });
    assert.equal(replaced.metadata?.uid, created.metadata?.uid);

    const noop = await core.replaceNamespacedConfigMap({ name: 'acr-configuration', namespace: NS, body: replaced });
    assert.equal(noop.metadata?.resourceVersion, replaced.metadata?.resourceVersion, 'an unchanged object keeps its resourceVersion');

    const labelled = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'team in (a,b)' });
    assert.deepEqual(labelled.items.map((c) => c.metadata?.name), ['acr-configuration']);

    const deleted = await core.deleteNamespacedConfigMap({ name: 'acr-configuration', namespace: NS });
    assert.equal(deleted.status, 'Success');
    const gone = await rejectsWithStatus(core.readNamespacedConfigMap({ name: 'acr-configuration', namespace: NS }), 404, 'NotFound');
    assert.equal(gone.message, 'configmaps "acr-configuration" not found');
    await rejectsWithStatus(core.deleteNamespacedConfigMap({ name: 'acr-configuration', namespace: NS }), 404, 'NotFound');
  });

  it('validates names, data keys and the URL against the body', async () => {
    const bad = await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'Not_Valid' } } }), 422, 'Invalid');
    assert.equal(bad.details.causes[0].field, 'metadata.name');
    assert.match(bad.message, /^ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/);
    await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'k' }, data: { 'bad key': 'x' } } }), 422, 'Invalid');
    await rejectsWithStatus(core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'k', namespace: 'default' } } }), 400, 'BadRequest');
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'k' } } });
    await rejectsWithStatus(core.replaceNamespacedConfigMap({ name: 'k', namespace: NS, body: { metadata: { name: 'other' } } }), 400, 'BadRequest');
    await core.deleteNamespacedConfigMap({ name: 'k', namespace: NS });
  });

  it('honours dryRun, server-side apply and list pagination', async () => {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'dry' } }, dryRun: 'All' });
    await rejectsWithStatus(core.readNamespacedConfigMap({ name: 'dry', namespace: NS }), 404, 'NotFound');
    const applied = await core.patchNamespacedConfigMap(
      { name: 'applied', namespace: NS, fieldManager: 'acr-xaccount', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1' } } },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    assert.deepEqual(applied.data, { a: '1' });
    const page1 = await core.listNamespacedConfigMap({ namespace: NS, limit: 1 });
    assert.equal(page1.items.length, 1);
    assert.ok(page1.metadata?._continue);
    const page2 = await core.listNamespacedConfigMap({ namespace: NS, limit: 1, _continue: page1.metadata!._continue });
    assert.notEqual(page2.items[0]!.metadata?.name, page1.items[0]!.metadata?.name);
    await core.deleteNamespacedConfigMap({ name: 'applied', namespace: NS });
  });
});

describe('sandbox Kubernetes API: ServiceAccounts', () => {
  it('reads and patches a ServiceAccount (strategic merge merges imagePullSecrets by name)', async () => {
    await core.createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name: 'puller' }, imagePullSecrets: [{ name: 'existing' }] } });
    const sa = await core.readNamespacedServiceAccount({ name: 'puller', namespace: NS });
    assert.deepEqual(sa.imagePullSecrets?.map((s) => s.name), ['existing']);
    const strategic = await core.patchNamespacedServiceAccount(
      { name: 'puller', namespace: NS, body: { imagePullSecrets: [{ name: 'acr-credential-1' }] } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategic.imagePullSecrets?.map((s) => s.name), ['existing', 'acr-credential-1']);
    const merge = await core.patchNamespacedServiceAccount(
      { name: 'puller', namespace: NS, body: { metadata: { annotations: { 'example.com/role': 'pull' } }, imagePullSecrets: [{ name: 'only' }] } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.deepEqual(merge.imagePullSecrets?.map((s) => s.name), ['only'], 'a JSON merge patch replaces lists');
    assert.equal(merge.metadata?.annotations?.['example.com/role'], 'pull');
    const stale = await rejectsWithStatus(
      core.patchNamespacedServiceAccount({ name: 'puller', namespace: NS, body: { metadata: { resourceVersion: sa.metadata!.resourceVersion } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
      409,
      'Conflict',
    );
    assert.equal(stale.details.name, 'puller');
  });
});

describe('sandbox Kubernetes API: Deployments, Pods and Events', () => {
  it('creates pods for a Deployment, lists them by label, and deletes them with it', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('web', 'registry.example.com/team/web:1.0') });
    assert.equal(created.metadata?.generation, 1);
    assert.equal(created.spec?.replicas, 1);
    assert.equal(created.spec?.template.spec?.containers[0]!.imagePullPolicy, 'IfNotPresent');

    const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' });
    assert.equal(pods.items.length, 1);
    const pod = pods.items[0]!;
    assert.match(pod.metadata!.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.spec?.containers[0]!.image, 'registry.example.com/team/web:1.0');
    assert.equal(pod.spec?.serviceAccountName, 'default');
    assert.match(pod.spec?.nodeName ?? '', /^cn-hangzhou\.192\.168\.0\.2\d$/);
    assert.equal(pod.metadata?.ownerReferences?.[0]!.kind, 'ReplicaSet');
    const rs = await apps.readNamespacedReplicaSet({ name: pod.metadata!.ownerReferences![0]!.name, namespace: NS });
    assert.equal(rs.metadata?.ownerReferences?.[0]!.name, 'web');

    const scaled = await apps.patchNamespacedDeployment({ name: 'web', namespace: NS, body: { spec: { replicas: 3 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    assert.equal(scaled.metadata?.generation, 2);
    assert.equal((await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items.length, 3);

    // A new template rolls out a new ReplicaSet; the old pods go.
    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: NS, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example.com/team/web:2.0' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const rolled = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' });
    assert.equal(rolled.items.length, 3);
    assert.ok(rolled.items.every((p) => p.spec?.containers[0]!.image === 'registry.example.com/team/web:2.0'));
    const deployment = await apps.readNamespacedDeployment({ name: 'web', namespace: NS });
    assert.equal(deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(deployment.status?.updatedReplicas, 3);

    const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.kind=Deployment,involvedObject.name=web' });
    assert.ok(events.items.some((e) => e.reason === 'ScalingReplicaSet'));

    const deleted = await apps.deleteNamespacedDeployment({ name: 'web', namespace: NS });
    assert.equal(deleted.status, 'Success');
    assert.equal((await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items.length, 0);
    assert.equal((await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: 'app=web' })).items.length, 0);
  });

  it("shows the kubelet decider's events and phase as simulated time passes", async () => {
    const image = 'registry.example.com/team/verify:1';
    setPodDecider((world, clusterId, pod: KubeObject) => {
      assert.equal(clusterId, CLUSTER);
      const started = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp);
      const pulling = { type: 'Normal' as const, reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath: 'spec.containers{app}' };
      if (world.data.nowMs - started < 15_000) return { phase: 'Pending', events: [pulling], waiting: { reason: 'ContainerCreating' } };
      return { phase: 'Running', events: [pulling, { type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${image}" in 1.2s (1.2s including waiting). Image size: 1024 bytes.`, fieldPath: 'spec.containers{app}' }] };
    });
    try {
      await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('verify', image) });
      const [pod] = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=verify' })).items;
      const name = pod!.metadata!.name!;
      const first = await core.listNamespacedEvent({ namespace: NS, fieldSelector: `involvedObject.name=${name}` });
      assert.deepEqual(first.items.map((e) => e.reason), ['Scheduled', 'Pulling']);
      assert.equal(first.items[1]!.source?.component, 'kubelet');
      assert.equal(first.items[1]!.involvedObject.fieldPath, 'spec.containers{app}');
      let pulled = false;
      for (let i = 0; i < 10 && !pulled; i++) {
        const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: `involvedObject.name=${name}` });
        pulled = events.items.some((e) => e.reason === 'Pulled' && e.message?.startsWith('Successfully pulled image'));
      }
      assert.ok(pulled, 'the Pulled event shows once simulated time has passed');
      const running = await core.readNamespacedPod({ name, namespace: NS });
      assert.equal(running.status?.phase, 'Running');
      assert.equal(running.status?.containerStatuses?.[0]!.ready, true);
      const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: `involvedObject.name=${name},reason=Pulling` });
      assert.equal(events.items.length, 1, 'a re-reported event is recorded once');
      const deployment = await apps.readNamespacedDeployment({ name: 'verify', namespace: NS });
      assert.equal(deployment.status?.readyReplicas, 1);
      assert.equal(deployment.status?.conditions?.find((c) => c.type === 'Available')?.status, 'True');
      // Deleting the pod (a restart) makes the ReplicaSet create a replacement.
      const deletedPod = await core.deleteNamespacedPod({ name, namespace: NS });
      assert.ok(deletedPod.metadata?.deletionTimestamp);
      const replacement = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=verify' });
      assert.equal(replacement.items.length, 1);
      assert.notEqual(replacement.items[0]!.metadata?.name, name);
    } finally {
      setPodDecider(undefined);
      await apps.deleteNamespacedDeployment({ name: 'verify', namespace: NS });
    }
  });

  it('reports a missing ServiceAccount as a FailedCreate event, then creates the pod once it exists', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('needs-sa', 'registry.example.com/team/x:1', { serviceAccountName: 'helper-watched' }) });
    assert.equal((await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=needs-sa' })).items.length, 0);
    const events = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.kind=ReplicaSet,reason=FailedCreate' });
    assert.match(events.items[0]!.message ?? '', /serviceaccount "helper-watched" not found/);
    await core.createNamespacedServiceAccount({ namespace: NS, body: { metadata: { name: 'helper-watched' } } });
    assert.equal((await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=needs-sa' })).items.length, 1);
    await apps.deleteNamespacedDeployment({ name: 'needs-sa', namespace: NS });
  });

  it('marks a Deployment whose pods never become ready as ProgressDeadlineExceeded', async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deploymentBody('stuck', 'registry.example.com/team/stuck:1') });
    const fresh = await apps.readNamespacedDeployment({ name: 'stuck', namespace: NS });
    assert.equal(fresh.status?.conditions?.find((c) => c.type === 'Progressing')?.status, 'True');
    sandbox.world.advance(601_000);
    const late = await apps.readNamespacedDeployment({ name: 'stuck', namespace: NS });
    const progressing = late.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.status, 'False');
    assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
    assert.equal(late.status?.unavailableReplicas, 1);
    // Orphan propagation leaves the ReplicaSet and its pod behind, without the owner reference.
    await apps.deleteNamespacedDeployment({ name: 'stuck', namespace: NS, propagationPolicy: 'Orphan' });
    const [rs] = (await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: 'app=stuck' })).items;
    assert.equal(rs!.metadata?.ownerReferences, undefined);
    assert.equal((await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=stuck' })).items.length, 1);
    await apps.deleteNamespacedReplicaSet({ name: rs!.metadata!.name!, namespace: NS });
    assert.equal((await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=stuck' })).items.length, 0);
  });

  it('validates Deployments and refuses field selectors the kind does not index', async () => {
    const mismatch = { metadata: { name: 'bad' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'app', image: 'i:1' }] } } } };
    const status = await rejectsWithStatus(apps.createNamespacedDeployment({ namespace: NS, body: mismatch }), 422, 'Invalid');
    assert.equal(status.details.group, 'apps');
    assert.match(status.message, /^Deployment.apps "bad" is invalid: spec.template.metadata.labels/);
    await rejectsWithStatus(apps.createNamespacedDeployment({ namespace: NS, body: { metadata: { name: 'noimage' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } } } } as any }), 422, 'Invalid');
    const field = await rejectsWithStatus(core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.color=red' }), 400, 'BadRequest');
    assert.equal(field.message, 'field label not supported: involvedObject.color');
  });
});

describe('sandbox Kubernetes API: authentication and clusters', () => {
  it('refuses a wrong or missing token with 401 Unauthorized, and an unknown cluster with 404', async () => {
    const wrong = kubeconfigFor(sandbox.kubeUrl(CLUSTER), 'not-the-token').makeApiClient(CoreV1Api);
    await assert.rejects(wrong.listNamespace(), (error: any) => error.code === 401);
    const anonymous = await fetch(`${sandbox.kubeUrl(CLUSTER)}/api/v1/namespaces`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { reason: string }).reason, 'Unauthorized');
    const unknown = kubeconfigFor(sandbox.kubeUrl('c-no-such-cluster'), TOKEN).makeApiClient(CoreV1Api);
    await assert.rejects(unknown.listNamespace(), (error: any) => error.code === 404 && JSON.parse(error.body).reason === 'NotFound');
  });

  it('serves a cluster from the CS state with a token DescribeClusterUserKubeconfig issued, nodes from its ECS instances', async () => {
    const A = sandbox.accounts.A.accountId;
    const cluster = seedCluster(sandbox.world, A, { regionId: 'cn-hangzhou', name: 'from-cs', vpcId: String(sandbox.meta.facts.vpcA), podCidr: '10.80.0.0/16', serviceCidr: '10.81.0.0/20' });
    const { token } = issueKubeToken(sandbox.world, cluster, `acs:ram::${A}:root`, 3_600_000);
    const client = kubeconfigFor(sandbox.kubeUrl(cluster.clusterId), token).makeApiClient(CoreV1Api);
    const nodes = await client.listNode();
    assert.equal(nodes.items.length, 2);
    assert.ok(nodes.items.every((n) => n.spec?.providerID?.startsWith('cn-hangzhou.i-')));
    assert.equal((await client.readNamespace({ name: 'kube-system' })).status?.phase, 'Active');
    await assert.rejects(kubeconfigFor(sandbox.kubeUrl(cluster.clusterId), TOKEN).makeApiClient(CoreV1Api).listNode(), (error: any) => error.code === 401);
  });

  it('gives other sandbox parts a typed store: put, get, list by label, events', () => {
    const store = kubeStore(sandbox.world, CLUSTER);
    const cm = store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-store', namespace: 'kube-system', labels: { owner: 'helper' } }, data: { a: '1' } });
    store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-store', namespace: 'kube-system', labels: { owner: 'helper' } }, data: { a: '2' } });
    assert.equal(store.get('ConfigMap', 'kube-system', 'from-store')?.data.a, '2');
    assert.deepEqual(store.list('ConfigMap', undefined, { labelSelector: 'owner=helper' }).map((o) => o.metadata.name), ['from-store']);
    const event = store.recordEvent(cm, { type: 'Warning', reason: 'Test', message: 'hello', component: 'sandbox' });
    assert.equal(event.involvedObject.name, 'from-store');
    assert.equal(store.recordEvent(cm, { type: 'Warning', reason: 'Test', message: 'hello', component: 'sandbox' }).count, 2);
    store.delete('ConfigMap', 'kube-system', 'from-store');
    assert.equal(store.get('ConfigMap', 'kube-system', 'from-store'), undefined);
  });

  it('keeps its state across a save and load of the world', async () => {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'persisted' }, data: { kept: 'yes' } } });
    const dir = mkdtempSync(join(tmpdir(), 'kube-state-'));
    try {
      const stateFile = join(dir, 'state.json');
      sandbox.world.save(stateFile);
      const reloaded = await startSandbox({ dir, stateFile, kube: createKubeHandler });
      try {
        const client = kubeconfigFor(reloaded.kubeUrl(CLUSTER), TOKEN).makeApiClient(CoreV1Api);
        const cm = await client.readNamespacedConfigMap({ name: 'persisted', namespace: NS });
        assert.equal(cm.data?.kept, 'yes');
        const next = await client.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'after-reload' } } });
        assert.ok(Number(next.metadata?.resourceVersion) > Number(cm.metadata?.resourceVersion));
      } finally {
        await reloaded.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
