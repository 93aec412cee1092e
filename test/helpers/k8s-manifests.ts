import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseModelCatalog } from '../../activities/models/load-catalog';
import { findModel, modelTaskQueue, type ModelCatalog } from '../../contracts/model-catalog';
import { llmTaskQueue, taskQueues } from '../../contracts/task-queues';
import { readYamlDocuments } from './kubernetes-tools';

// Typed access to the manifests in deploy/k8s for the structural checks; only the fields the checks read.

export const manifestRoot = join(__dirname, '..', '..', 'deploy', 'k8s');

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { fieldPath: string } };
}
export interface Probe { httpGet?: { path: string; port: string | number } }
export interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface PodSpec {
  terminationGracePeriodSeconds?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; effect?: string }[];
  containers: Container[];
  volumes?: { name: string; configMap?: { name: string }; secret?: { secretName: string } }[];
}
export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  // Each check narrows `spec` to the kind it reads.
  spec?: unknown;
}
export interface Deployment extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    strategy?: { rollingUpdate?: { maxSurge?: number | string } };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

/** Every manifest file under deploy/k8s, relative to it; the kustomization is not a Kubernetes resource. */
export function manifestFiles(): string[] {
  const files = readdirSync(manifestRoot, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.ya?ml$/.test(path) && !/(^|\/)kustomization\.ya?ml$/.test(path));
  return files.map((path) => relative(manifestRoot, join(manifestRoot, path))).sort();
}

export function loadManifests(): Manifest[] {
  return manifestFiles().flatMap((file) => (readYamlDocuments(join(manifestRoot, file)) as Omit<Manifest, 'file'>[])
    .map((document) => ({ ...document, file })));
}

export const byKind = <T extends Manifest>(manifests: Manifest[], kind: string): T[] =>
  manifests.filter((manifest) => manifest.kind === kind) as T[];

/** The model catalog shipped in the `sluice-model-catalog` ConfigMap, through the schema the workers use. */
export function shippedCatalog(manifests: Manifest[]): ModelCatalog {
  const configMap = manifests.find((manifest) =>
    manifest.kind === 'ConfigMap' && manifest.metadata.name === 'sluice-model-catalog');
  return parseModelCatalog(JSON.parse(configMap?.data?.['catalog.json'] ?? 'null'));
}

/** The Sluice container of a pod: the one running a workers/ or scripts/ entry point. */
export function sluiceContainer(deployment: Deployment): Container {
  const container = deployment.spec.template.spec.containers.find((candidate) =>
    candidate.command?.some((part) => part.startsWith('workers/') || part.startsWith('scripts/')));
  if (!container) throw new Error(`${deployment.metadata.name} runs no Sluice entry point`);
  return container;
}

const envValue = (container: Container, name: string): string | undefined =>
  container.env?.find((variable) => variable.name === name)?.value;
const listed = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);

/**
 * The task queues a Deployment's worker polls, worked out as the entry point does (workers/orchestration.ts,
 * llm.ts, gpu.ts); the gateway polls none. An empty provider/model list would mean "all", which a Deployment
 * per queue must never rely on, so it is reported as a queue named after the mistake.
 */
export function polledQueues(deployment: Deployment, catalog: ModelCatalog): string[] {
  const container = sluiceContainer(deployment);
  const entry = container.command?.find((part) => part.startsWith('workers/'));
  // The orchestration worker starts through its script (memory settings), which execs workers/orchestration.ts.
  if (entry === 'workers/orchestration.ts' || entry === 'workers/start-orchestration.sh') return [taskQueues.orchestration];
  if (entry === 'workers/llm.ts') {
    const providers = listed(envValue(container, 'SLUICE_LLM_PROVIDERS'));
    return providers.length ? providers.map(llmTaskQueue) : ['<every provider: SLUICE_LLM_PROVIDERS unset>'];
  }
  if (entry === 'workers/gpu.ts') {
    const models = listed(envValue(container, 'SLUICE_GPU_MODELS'));
    if (!models.length) return ['<every model: SLUICE_GPU_MODELS unset>'];
    return models.map((id) => {
      const model = findModel(catalog, id);
      return model ? modelTaskQueue(catalog, model) : `<model ${id} not in the catalog>`;
    });
  }
  return [];
}

/** Seconds of a `preStop: exec: [sleep, N]` hook, or undefined. */
export function preStopSeconds(container: Container): number | undefined {
  const command = container.lifecycle?.preStop?.exec?.command;
  return command?.[0] === 'sleep' && command[1] !== undefined ? Number(command[1]) : undefined;
}
