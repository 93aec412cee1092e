// `sluice setup`: register Sluice's search attributes in the namespace.
import type { Command } from 'commander';
import type { SearchAttributeStatus } from '../../temporal-config/search-attribute-registration';
import { SluiceClientError } from '../errors';
import type { WithClient } from './common';
import { withExamples } from './help-examples';
import { jsonOption, printResult, type JsonFlag } from './output';

/** One line per search attribute: its name, type and whether it was there, added or of another type. */
export function formatSearchAttributes({ searchAttributes }: { searchAttributes: SearchAttributeStatus[] }): string {
  return searchAttributes.map(({ name, type, state }) => `${name} (${type}): ${state}`).join('\n');
}

/** Adds `setup` to the CLI. */
export function registerSetupCommand(program: Command, withClient: WithClient): void {
  const setup = program
    .command('setup')
    .description(
      "register Sluice's search attributes in the namespace (once per cluster; `npm start`'s dev server needs none)",
    )
    .addOption(jsonOption())
    .action(async (options: JsonFlag) => {
      const searchAttributes = await withClient((client) => client.setupSearchAttributes());
      printResult(options, { searchAttributes }, formatSearchAttributes);
      if (searchAttributes.some((attribute) => attribute.state === 'wrong-type')) {
        throw new SluiceClientError('a search attribute exists with another type; remove it or use another namespace');
      }
    });
  withExamples(setup, [
    'sluice setup',
    'SLUICE_TEMPORAL_ADDRESS=temporal.internal:7233 SLUICE_TEMPORAL_NAMESPACE=prod sluice setup --json',
  ]);
}
