import { join } from 'node:path';
import { devServerDynamicConfig } from '../../../temporal-config/dev-server';
import {
  dynamicConfigFileEntries, productionDynamicConfig, undecidedDevKeys,
} from '../../../temporal-config/production-dynamic-config';
import { readYamlDocuments } from '../../helpers/kubernetes-tools';

const production = join(__dirname, '..', '..', '..', 'temporal-config', 'production');

interface SqlStore { driver: string; sql: { driver: string; password?: string; existingSecret?: string } }
interface HelmValues {
  server: {
    dynamicConfig: unknown;
    config: { persistence: { default: SqlStore; visibility: SqlStore }; namespaces: { namespace: { name: string }[] } };
  };
}

describe('production Temporal settings', () => {
  it('decide, for every dev-server key, whether production takes it, and take it with the same value', () => {
    expect(undecidedDevKeys()).toEqual([]);
    for (const [key, value] of Object.entries(devServerDynamicConfig)) {
      const taken = productionDynamicConfig[key];
      if (taken) expect([key, String(taken.value)]).toEqual([key, value]);
    }
    expect(productionDynamicConfig['history.maxInFlightUpdates']?.value).toBe(200);
  });

  it('are the same in the dynamic-config file and in the Helm values', () => {
    const [file] = readYamlDocuments(join(production, 'dynamic-config.yaml'));
    expect(file).toEqual(dynamicConfigFileEntries());
    const [values] = readYamlDocuments(join(production, 'helm-values.yaml')) as HelmValues[];
    expect(values!.server.dynamicConfig).toEqual(dynamicConfigFileEntries());
  });

  it('persist to PostgreSQL with advanced (SQL) visibility, the password from a Secret, a sluice namespace', () => {
    const [values] = readYamlDocuments(join(production, 'helm-values.yaml')) as HelmValues[];
    const { persistence, namespaces } = values!.server.config;
    for (const store of [persistence.default, persistence.visibility]) {
      expect(store.driver).toBe('sql');
      expect(store.sql.driver).toBe('postgres12');
      expect(store.sql.password).toBeUndefined();
      expect(store.sql.existingSecret).toBeTruthy();
    }
    expect(namespaces.namespace.map((namespace) => namespace.name)).toContain('sluice');
  });
});
