import { extractiveProvider, type ModelCatalog } from '../../contracts/model-catalog';
import { createAnthropicProvider } from './anthropic-provider';
import { createExtractiveProvider } from './extractive-provider';
import { createOpenAIProvider } from './openai-provider';
import type { ModelProvider } from './provider';

/** Thrown when a provider cannot be built on this worker (unknown name, key variable unset). */
export class ProviderNotConfiguredError extends Error {
  override readonly name = 'ProviderNotConfiguredError';
}

// Self-hosted servers usually ignore the key, but the SDKs refuse an empty one.
const placeholderKey = 'not-needed';

/**
 * Builds the adapter for a catalog provider. The API key is read here, in the worker, from
 * the environment variable the catalog names — it never travels in activity input or history.
 */
export function createProvider(catalog: ModelCatalog, name: string, environment: Record<string, string | undefined>, fetchImplementation?: typeof fetch): ModelProvider {
  if (name === extractiveProvider) return createExtractiveProvider();
  const settings = catalog.providers[name];
  if (!settings) throw new ProviderNotConfiguredError(`provider ${name} is not in the model catalog`);
  const apiKey = settings.apiKeyEnv ? environment[settings.apiKeyEnv] : undefined;
  if (settings.apiKeyEnv && !apiKey) throw new ProviderNotConfiguredError(`provider ${name}: environment variable ${settings.apiKeyEnv} is not set`);
  const common = { name, apiKey: apiKey ?? placeholderKey, baseURL: settings.baseUrl, fetch: fetchImplementation };
  switch (settings.kind) {
    case 'anthropic':
      return createAnthropicProvider(common);
    case 'openai':
    case 'openai-compatible':
      return createOpenAIProvider(common);
  }
}
