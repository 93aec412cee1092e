import type { ActivityOptions } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configEnvironmentVariables } from '../../../contracts/config';
import { loadWorkerDeploymentConfig } from '../../../contracts/worker-deployment';
import { findModel, modelTaskQueue } from '../../../contracts/model-catalog';
import { taskQueues } from '../../../contracts/task-queues';
import * as presets from '../../../workflows/activity-presets';
import { readYamlDocuments, validateManifests, validationProblems } from '../../helpers/kubernetes-tools';
import {
  byKind, type Deployment, loadManifests, type Manifest, manifestFiles, manifestRoot, polledQueues, preStopSeconds,
  shippedCatalog, sluiceContainer,
} from '../../helpers/k8s-manifests';

const manifests = loadManifests();
const catalog = shippedCatalog(manifests);
const deployments = byKind<Deployment>(manifests, 'Deployment');
const workers = deployments.filter((deployment) => polledQueues(deployment, catalog).length > 0);
const named = (name: string): Deployment => {
  const deployment = deployments.find((candidate) => candidate.metadata.name === name);
  if (!deployment) throw new Error(`no Deployment ${name}`);
  return deployment;
};

describe('the manifests in deploy/k8s, against the Kubernetes 1.31 schemas (offline, strict)', () => {
  it('all validate, every resource of every file, unknown fields rejected', () => {
    const files = manifestFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const report = validateManifests(files.map((file) => join(manifestRoot, file)), { strict: true });
    expect(validationProblems(report)).toEqual([]);
    expect(report.status).toBe(0);
    expect(report.lines.filter((line) => line.includes(' passed for resource '))).toHaveLength(manifests.length);
  });

  describe('the validator rejects a broken manifest', () => {
    const folder = mkdtempSync(join(tmpdir(), 'sluice-k8s-'));
    const broken = (name: string, edit: (text: string) => string): string => {
      const path = join(folder, name);
      const text = edit(readFileSync(join(manifestRoot, 'orchestration.yaml'), 'utf8'));
      writeFileSync(path, text);
      return path;
    };

    it('a misspelled field', () => {
      const path = broken('misspelled.yaml', (text) =>
        text.replace('terminationGracePeriodSeconds:', 'terminationGracePeriodSecond:'));
      const report = validateManifests([path], { strict: true });
      expect(report.status).not.toBe(0);
      expect(validationProblems(report).join('\n')).toContain("'terminationGracePeriodSecond' was unexpected");
      // Without --strict the same file passes: strictness is what catches a misspelling.
      expect(validateManifests([path], { strict: false }).status).toBe(0);
    });

    it('a value of the wrong type, and a missing required field', () => {
      const wrongType = broken('wrong-type.yaml', (text) => text.replace('replicas: 2', 'replicas: two'));
      expect(validationProblems(validateManifests([wrongType], { strict: true })).join('\n')).toMatch(/replicas/);
      const noPort = broken('no-port.yaml', (text) => text.replace(/^ +containerPort: 9464\n/m, ''));
      expect(validationProblems(validateManifests([noPort], { strict: true })).join('\n'))
        .toContain("'containerPort' is a required property");
    });

    it('a kind with no schema (a custom resource) is a problem, though kubernetes-validate only warns', () => {
      const path = join(folder, 'scaled-object.yaml');
      writeFileSync(path, 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: x\nspec: {}\n');
      const report = validateManifests([path], { strict: true });
      expect(report.status).toBe(0);
      expect(validationProblems(report)).toEqual([expect.stringMatching(/^WARN .*Couldn't find schema/)]);
    });
  });

  it('the kustomization lists every manifest of the base, and only files that exist', () => {
    const [kustomization] = readYamlDocuments(join(manifestRoot, 'kustomization.yaml')) as { resources: string[] }[];
    const base = manifestFiles().filter((file) => !file.includes('/'));
    expect([...kustomization!.resources].sort()).toEqual(base);
  });
});

/** The longest activity attempt a worker of `queue` may be running at SIGTERM and wait for, in ms. */
function longestAttemptMs(queue: string): number {
  if (queue === taskQueues.orchestration) {
    // Heartbeating activities are cancelled after the worker's shutdownGraceTime and resume elsewhere.
    const options = Object.values(presets).filter((preset): preset is ActivityOptions =>
      typeof preset === 'object' && 'startToCloseTimeout' in preset && !('heartbeatTimeout' in preset));
    return Math.max(...options.map((preset) => msToNumber(preset.startToCloseTimeout!)));
  }
  const calls = catalog.models.filter((model) => modelTaskQueue(catalog, model) === queue)
    .map((model) => catalog.providers[model.provider]!.callTimeoutMs);
  return Math.max(msToNumber(presets.modelPreset.startToCloseTimeout!), ...calls);
}

describe('the worker Deployments', () => {
  it('are one per task queue: orchestration and every queue the shipped model catalog routes to', () => {
    const routed = catalog.models.filter((model) => model.provider !== 'extractive')
      .map((model) => modelTaskQueue(catalog, model));
    const expected = [...new Set([taskQueues.orchestration, ...routed])].sort();
    expect(expected)
      .toEqual(['sluice-gpu-llama-8b', 'sluice-llm-anthropic', 'sluice-llm-openai', 'sluice-orchestration']);
    const polled = workers.flatMap((deployment) => polledQueues(deployment, catalog));
    expect([...polled].sort()).toEqual(expected);
    for (const deployment of workers) {
      // Named and labelled after the one queue it polls.
      const [queue] = polledQueues(deployment, catalog);
      expect(deployment.metadata.name).toBe(queue);
      expect(deployment.spec.template.metadata.labels['sluice/task-queue']).toBe(queue);
    }
  });

  it.each(workers.map((deployment) => [deployment.metadata.name, deployment] as const))(
    '%s drains: a grace period for preStop plus its longest activity, and resources on every container',
    (_name, deployment) => {
      const pod = deployment.spec.template.spec;
      const worker = sluiceContainer(deployment);
      const [queue] = polledQueues(deployment, catalog);
      const workerPreStop = preStopSeconds(worker);
      expect(workerPreStop).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(
        workerPreStop! * 1000 + longestAttemptMs(queue!),
      );
      for (const container of pod.containers) {
        expect(preStopSeconds(container)).toBeLessThan(pod.terminationGracePeriodSeconds!);
        for (const resource of ['cpu', 'memory']) {
          expect(container.resources?.requests?.[resource]).toBeDefined();
          expect(container.resources?.limits?.[resource]).toBeDefined();
        }
      }
    },
  );

  it.each(workers.map((deployment) => [deployment.metadata.name, deployment] as const))(
    '%s has a backlog autoscaler for its own queue and a disruption budget',
    (name, deployment) => {
      const [queue] = polledQueues(deployment, catalog);
      type Hpa = Manifest & { spec: HpaSpec };
      interface HpaSpec {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
        metrics: { type: string; external?: { metric: { name: string; selector: { matchLabels: object } } } }[];
      }
      const hpas = byKind<Hpa>(manifests, 'HorizontalPodAutoscaler')
        .filter((hpa) => hpa.spec.scaleTargetRef.name === name);
      expect(hpas).toHaveLength(1);
      expect(hpas[0]!.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpas[0]!.spec.metrics).toContainEqual(expect.objectContaining({
        type: 'External',
        external: expect.objectContaining({
          metric: { name: 'temporal_approximate_backlog_count', selector: { matchLabels: { taskqueue: queue } } },
        }),
      }));
      const pdbs = byKind<Manifest & { spec: { selector: { matchLabels: Record<string, string> } } }>(
        manifests, 'PodDisruptionBudget',
      ).filter((pdb) => Object.entries(pdb.spec.selector.matchLabels)
        .every(([key, value]) => deployment.spec.template.metadata.labels[key] === value));
      expect(pdbs).toHaveLength(1);
    },
  );

  it('the GPU worker asks for a GPU on a GPU node, tolerates its taint, and never surges', () => {
    const gpu = named('sluice-gpu-llama-8b');
    const pod = gpu.spec.template.spec;
    expect(Object.keys(pod.nodeSelector ?? {})).toContain('nvidia.com/gpu.present');
    expect(pod.tolerations).toContainEqual(expect.objectContaining({ key: 'nvidia.com/gpu', effect: 'NoSchedule' }));
    const gpus = pod.containers.map((container) => Number(container.resources?.limits?.['nvidia.com/gpu'] ?? 0));
    expect(Math.max(...gpus)).toBeGreaterThanOrEqual(1);
    expect(gpu.spec.strategy?.rollingUpdate?.maxSurge).toBe(0);
    // The model server outlives the worker's drain, so no call in flight loses its server.
    const worker = sluiceContainer(gpu);
    const server = pod.containers.find((container) => container !== worker)!;
    const workerDrain = preStopSeconds(worker)! + longestAttemptMs('sluice-gpu-llama-8b') / 1000;
    expect(preStopSeconds(server)).toBeGreaterThanOrEqual(workerDrain);
  });

  it('each worker joins the Worker Deployment as the build its pod label names, the image tag', () => {
    interface Kustomization {
      images: { newTag: string }[];
      labels?: { pairs: Record<string, string>; includeTemplates?: boolean; includeSelectors?: boolean }[];
    }
    const [kustomization] = readYamlDocuments(join(manifestRoot, 'kustomization.yaml')) as Kustomization[];
    const label = kustomization!.labels?.find((entry) => 'sluice/build-id' in entry.pairs);
    // On pods only: a Deployment's selector cannot change once applied, and a build id must.
    expect(label).toMatchObject({ includeTemplates: true });
    expect(label?.includeSelectors).not.toBe(true);
    const buildId = label!.pairs['sluice/build-id'];
    expect(loadWorkerDeploymentConfig({ SLUICE_BUILD_ID: buildId }).buildId).toBe(kustomization!.images[0]!.newTag);
    const config = manifests.find((manifest) => manifest.metadata.name === 'sluice-config')!;
    expect(loadWorkerDeploymentConfig(config.data!).deploymentName).toBe('sluice');
    for (const deployment of workers) {
      const variable = sluiceContainer(deployment).env?.find((candidate) => candidate.name === 'SLUICE_BUILD_ID');
      expect([deployment.metadata.name, variable?.valueFrom?.fieldRef?.fieldPath])
        .toEqual([deployment.metadata.name, "metadata.labels['sluice/build-id']"]);
    }
  });

  it('each provider worker gets the key its catalog entry names, from a Secret', () => {
    for (const deployment of workers) {
      for (const queue of polledQueues(deployment, catalog)) {
        const models = catalog.models.filter((model) => modelTaskQueue(catalog, model) === queue);
        for (const keyVariable of models.map((model) => catalog.providers[model.provider]?.apiKeyEnv)) {
          if (!keyVariable) continue;
          const variable = sluiceContainer(deployment).env?.find((candidate) => candidate.name === keyVariable);
          expect(variable?.valueFrom?.secretKeyRef?.optional).not.toBe(true);
          expect(variable?.valueFrom?.secretKeyRef?.name).toBe('sluice-secrets');
        }
      }
    }
    expect(findModel(catalog, 'llama-8b')).toBeDefined();
  });
});

describe('the gateway', () => {
  it('listens on 0.0.0.0:8080 behind a Service, with /readyz and /healthz probes and a drain', () => {
    const gateway = named('sluice-gateway');
    const container = sluiceContainer(gateway);
    const env = Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable.value]));
    expect(env).toMatchObject({ SLUICE_GATEWAY_HOST: '0.0.0.0', SLUICE_GATEWAY_PORT: '8080' });
    expect(container.ports).toContainEqual({ name: 'http', containerPort: 8080 });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(preStopSeconds(container)).toBeLessThan(gateway.spec.template.spec.terminationGracePeriodSeconds!);
    const services = byKind<Manifest & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>(
      manifests, 'Service',
    );
    expect(services.find((service) => service.metadata.name === 'sluice-gateway')?.spec).toMatchObject({
      selector: gateway.spec.selector.matchLabels, ports: [expect.objectContaining({ targetPort: 'http' })],
    });
  });
});

describe('secrets', () => {
  const secretName = /(API_KEY|TOKEN|SECRET|PASSWORD|REDACTION_KEY|CODEC_KEYS)$/;
  const containers = [...deployments, ...byKind<Manifest & { spec: { template: Deployment['spec']['template'] } }>(
    manifests, 'Job',
  )].flatMap((workload) => workload.spec.template.spec.containers);

  it('are never in the manifests: no Secret objects, no literal values, no key material', () => {
    expect(manifests.filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
    for (const variable of containers.flatMap((container) => container.env ?? [])) {
      if (secretName.test(variable.name)) {
        expect([variable.name, variable.value]).toEqual([variable.name, undefined]);
        expect(variable.valueFrom?.secretKeyRef).toBeDefined();
      }
    }
    for (const configMap of byKind(manifests, 'ConfigMap')) {
      expect(Object.keys(configMap.data ?? {}).filter((key) => secretName.test(key))).toEqual([]);
    }
    for (const file of manifestFiles()) {
      const text = readFileSync(join(manifestRoot, file), 'utf8');
      expect(text).not.toMatch(/-----BEGIN|\bsk-[A-Za-z0-9_-]{16,}|\bsk-ant-|AKIA[0-9A-Z]{16}|\bhf_[A-Za-z0-9]{20,}/);
    }
  });

  it('the shared config names only variables Sluice reads, with the Temporal connection settings spelt right', () => {
    const config = manifests.find((manifest) => manifest.metadata.name === 'sluice-config')!;
    const temporalKeys = Object.keys(config.data!).filter((key) => key.startsWith('SLUICE_TEMPORAL_'));
    expect(temporalKeys.length).toBeGreaterThan(0);
    for (const key of temporalKeys) expect(Object.values(configEnvironmentVariables)).toContain(key);
  });
});
