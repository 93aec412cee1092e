import type { Command } from 'commander';
import { budgetTenantOf } from '../../../../client/cli/budget-commands';
import { defaultTenant } from '../../../../client/cli/common';
import { ratedTenant } from '../../../../client/cli/feedback-commands';
import { examplesHeading } from '../../../../client/cli/help-examples';
import { createProgram } from '../../../../client/cli/program';

/** Every command under `command`, with its path from the program (`review approve`). */
function commandsOf(command: Command, path: string[] = []): Array<{ path: string; command: Command }> {
  return command.commands.flatMap((child) => {
    const childPath = [...path, child.name()];
    return [{ path: childPath.join(' '), command: child }, ...commandsOf(child, childPath)];
  });
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => { text += chunk; } });
  command.outputHelp();
  return text;
}

const withClient = () => Promise.reject(new Error('no server in unit tests'));
const commands = commandsOf(createProgram({ withClient }));

describe('the sluice command tree', () => {
  it('has the commands the README lists', () => {
    expect(commands.map(({ path }) => path)).toEqual([
      'ask', 'ingest', 'delete', 'setup', 'review', 'review list', 'review show', 'review approve', 'review reject',
      'review edit', 'feedback', 'feedback report', 'budget', 'budget show', 'budget set', 'gateway', 'gateway key',
      'gateway key create', 'gateway key list', 'gateway key revoke',
    ]);
  });

  it.each(commands.map(({ path, command }) => [path, command] as const))(
    '`sluice %s --help` has a description and examples of itself',
    (path, command) => {
      expect(command.description().length).toBeGreaterThan(5);
      const help = helpOf(command);
      expect(help).toMatch(new RegExp(`^Usage: sluice ${path} `));
      const examples = help.slice(help.indexOf(`\n${examplesHeading}\n`));
      expect(help).toContain(`\n${examplesHeading}\n`);
      expect(examples).toMatch(new RegExp(`\\n  \\$ .*sluice ${path}( |$)`, 'm'));
    },
  );

  // A command that takes arguments, or has no subcommands, prints a result: scripts read it with --json.
  const printing = commands.filter(({ command }) => command.registeredArguments.length > 0 || !command.commands.length);
  it.each(printing.map(({ path, command }) => [path, command] as const))(
    '`sluice %s` takes --json', (_path, command) => {
      expect(command.options.map((option) => option.long)).toContain('--json');
    },
  );

  it('lists the exit codes in the top-level help', () => {
    const help = helpOf(createProgram({ withClient }));
    expect(help).toContain('Exit codes:');
    expect(help).toMatch(/\n {2}69 {2}the Temporal server cannot be reached/);
  });
});

describe('the tenant of `sluice budget`', () => {
  it('is the argument or -t, as other commands take it, and exactly one of them', () => {
    expect(budgetTenantOf('acme', {})).toBe('acme');
    expect(budgetTenantOf(undefined, { tenant: 'acme' })).toBe('acme');
    expect(budgetTenantOf('acme', { tenant: 'acme' })).toBe('acme');
    expect(() => budgetTenantOf('acme', { tenant: 'demo' })).toThrow('two tenants given: acme and -t demo');
    expect(() => budgetTenantOf(undefined, {})).toThrow('name the tenant');
  });
});

describe('the tenant of `sluice feedback`', () => {
  it('is -t when given, else the one the run id names, as `sluice ask -t acme` printed it', () => {
    expect(ratedTenant('answer~acme~82d65c98', undefined)).toBe('acme');
    expect(ratedTenant('answer~acme~82d65c98', 'globex')).toBe('globex');
    expect(ratedTenant('not-a-sluice-id', undefined)).toBe(defaultTenant);
  });
});
