// `sluice gateway key create|list|revoke`: the HTTP gateway's API keys. A key is printed once, when
// it is made; the key file keeps only a hash of its secret, so a lost key is revoked and replaced.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../contracts/config';
import { gatewayRoles, type ApiKeyRecord, type GatewayRole } from '../../contracts/gateway-keys';
import { UnknownApiKeyError } from '../errors';
import { addApiKey, apiKeyFilePath, readApiKeyFile, revokeApiKey } from '../gateway-keys';
import { formatTable } from './common';
import { withExamples } from './help-examples';
import { jsonOption, printNotice, printResult, type JsonFlag } from './output';

interface CreateOptions extends JsonFlag {
  tenant: string;
  name: string;
  role: GatewayRole[];
  group?: string[];
  keysFile?: string;
}

/** Collects a repeatable `--role`, refusing names that are not roles. */
function collectRole(value: string, previous: GatewayRole[] = []): GatewayRole[] {
  const role = gatewayRoles.find((known) => known === value);
  if (!role) throw new InvalidArgumentError(`must be one of ${gatewayRoles.join(', ')}`);
  return [...previous, role];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const keysFileOf = (option: string | undefined): string => option ?? apiKeyFilePath(loadConfig(process.env).dataDir);

/** A key record without its hash: what `key list` and `key create` show. */
type ShownKey = Omit<ApiKeyRecord, 'secretSha256'>;

/** The stored keys as a table (never their secrets or hashes). */
export function formatApiKeys({ keys }: { keys: ShownKey[] }): string {
  if (keys.length === 0) return 'no keys';
  const rows = keys.map((record) => [
    record.id, record.tenant, record.name, record.roles.join(','), record.reviewerGroups?.join(',') ?? '*',
    record.createdAt,
  ]);
  return formatTable(['id', 'tenant', 'name', 'roles', 'groups', 'created'], rows);
}

function shown(record: ApiKeyRecord): ShownKey {
  const { secretSha256: _hash, ...visible } = record;
  return visible;
}

/** Adds `gateway key create|list|revoke` to the CLI; they edit the key file and need no server. */
export function registerGatewayCommands(program: Command): void {
  const gateway = program.command('gateway').description('the HTTP gateway');
  withExamples(gateway, ['sluice gateway key create --tenant acme --name ci --role caller']);
  const key = gateway.command('key')
    .description('API keys of the HTTP gateway (SLUICE_GATEWAY_KEYS_FILE, else <SLUICE_DATA_DIR>/gateway-keys.json)');
  withExamples(key, ['sluice gateway key list', 'sluice gateway key revoke 3f9c2a1b7d4e6f80']);

  const create = key
    .command('create')
    .description('make a key and print it once; only its hash is stored')
    .requiredOption('-t, --tenant <tenant>', 'the tenant every request with the key acts for')
    .requiredOption('--name <name>', 'who holds it (a reviewer key\'s decisions are recorded under this name)')
    .requiredOption('--role <role>', `${gatewayRoles.join(' | ')} (repeat for several)`, collectRole)
    .option('--group <group>', 'limit a reviewer key to this reviewer group (repeatable)', collect)
    .option('--keys-file <path>', 'the key file')
    .addOption(jsonOption())
    .action(async (options: CreateOptions) => {
      const file = keysFileOf(options.keysFile);
      const { token, record } = await addApiKey(file, {
        tenant: options.tenant, name: options.name, roles: options.role,
        ...(options.group ? { reviewerGroups: options.group } : {}),
      });
      printNotice(
        `key ${record.id} for tenant ${record.tenant} (${record.roles.join(', ')}) stored in ${file}; ` +
        (options.json ? 'its token (in the JSON on stdout) is shown only now' : 'the key below is shown only now:'),
      );
      printResult(options, { token, key: shown(record), file }, (created) => created.token);
    });
  withExamples(create, [
    'sluice gateway key create --tenant acme --name ci --role caller',
    'sluice gateway key create --tenant acme --name alice --role reviewer --group support',
    "sluice gateway key create --tenant acme --name ops --role operator --json | jq -r '.token'",
  ]);

  const list = key
    .command('list')
    .description('ids, tenants, names and roles of the stored keys (never their secrets or hashes)')
    .option('--keys-file <path>', 'the key file')
    .addOption(jsonOption())
    .action(async (options: { keysFile?: string } & JsonFlag) => {
      const { keys } = await readApiKeyFile(keysFileOf(options.keysFile));
      printResult(options, { keys: keys.map(shown) }, formatApiKeys);
    });
  withExamples(list, ['sluice gateway key list', "sluice gateway key list --json | jq -r '.keys[].id'"]);

  const revoke = key
    .command('revoke')
    .description('delete a key; a running gateway refuses it from its next request')
    .argument('<id>', 'the key id (`key list` shows it)')
    .option('--keys-file <path>', 'the key file')
    .addOption(jsonOption())
    .action(async (id: string, options: { keysFile?: string } & JsonFlag) => {
      const file = keysFileOf(options.keysFile);
      if (!(await revokeApiKey(file, id))) throw new UnknownApiKeyError(`no key has the id ${id} in ${file}`);
      printResult(options, { revoked: id }, () => `revoked ${id}`);
    });
  withExamples(revoke, ['sluice gateway key revoke 3f9c2a1b7d4e6f80']);
}
