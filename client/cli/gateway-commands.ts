// `sluice gateway key create|list|revoke`: the HTTP gateway's API keys. A key is printed once, when
// it is made; the key file keeps only a hash of its secret, so a lost key is revoked and replaced.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../contracts/config';
import { gatewayRoles, type GatewayRole } from '../../contracts/gateway-keys';
import { addApiKey, apiKeyFilePath, readApiKeyFile, revokeApiKey } from '../gateway-keys';
import { formatTable } from './common';

interface CreateOptions {
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

/** Adds `gateway key create|list|revoke` to the CLI; they edit the key file and need no server. */
export function registerGatewayCommands(program: Command): void {
  const key = program.command('gateway').description('the HTTP gateway').command('key')
    .description('API keys of the HTTP gateway (SLUICE_GATEWAY_KEYS_FILE, else <SLUICE_DATA_DIR>/gateway-keys.json)');

  key
    .command('create')
    .description('make a key and print it once; only its hash is stored')
    .requiredOption('--tenant <tenant>', 'the tenant every request with the key acts for')
    .requiredOption('--name <name>', 'who holds it (a reviewer key\'s decisions are recorded under this name)')
    .requiredOption('--role <role>', `${gatewayRoles.join(' | ')} (repeat for several)`, collectRole)
    .option('--group <group>', 'limit a reviewer key to this reviewer group (repeatable)', collect)
    .option('--keys-file <path>', 'the key file')
    .action(async (options: CreateOptions) => {
      const file = keysFileOf(options.keysFile);
      const { token, record } = await addApiKey(file, {
        tenant: options.tenant, name: options.name, roles: options.role,
        ...(options.group ? { reviewerGroups: options.group } : {}),
      });
      process.stderr.write(
        `key ${record.id} for tenant ${record.tenant} (${record.roles.join(', ')}) stored in ${file}; ` +
        'the key below is shown only now:\n',
      );
      process.stdout.write(`${token}\n`);
    });

  key
    .command('list')
    .description('ids, tenants, names and roles of the stored keys (never their secrets or hashes)')
    .option('--keys-file <path>', 'the key file')
    .action(async (options: { keysFile?: string }) => {
      const { keys } = await readApiKeyFile(keysFileOf(options.keysFile));
      if (keys.length === 0) {
        process.stdout.write('no keys\n');
        return;
      }
      const rows = keys.map((record) => [
        record.id, record.tenant, record.name, record.roles.join(','), record.reviewerGroups?.join(',') ?? '*',
        record.createdAt,
      ]);
      process.stdout.write(`${formatTable(['id', 'tenant', 'name', 'roles', 'groups', 'created'], rows)}\n`);
    });

  key
    .command('revoke')
    .description('delete a key; a running gateway refuses it from its next request')
    .argument('<id>', 'the key id (`key list` shows it)')
    .option('--keys-file <path>', 'the key file')
    .action(async (id: string, options: { keysFile?: string }) => {
      const file = keysFileOf(options.keysFile);
      if (!(await revokeApiKey(file, id))) throw new InvalidArgumentError(`no key has the id ${id} in ${file}`);
      process.stdout.write(`revoked ${id}\n`);
    });
}
