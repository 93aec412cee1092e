// `sluice budget`: show and set a tenant's budget (tokens and money per period, per tenant and feature).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { budgetPeriods, formatMicroUsd, type BudgetLimitsInput, type BudgetView } from '../../contracts/budget';
import { formatTable, type WithClient } from './common';
import { withExamples } from './help-examples';
import { jsonOption, printResult, type JsonFlag } from './output';

interface TenantFlag {
  tenant?: string;
}

interface SetOptions extends JsonFlag, TenantFlag {
  period?: string;
  maxTokens?: string;
  maxUsd?: string;
  feature?: string;
  file?: string;
}

const dollars = (microUsd: number | undefined): string =>
  (microUsd === undefined ? '-' : formatMicroUsd(microUsd));
const count = (value: number | undefined): string => (value === undefined ? '-' : String(value));

/** The budget as a table: one row per scope, limits beside usage and open reservations. */
export function formatBudgetView(view: BudgetView): string {
  if (view.scopes.length === 0) return `no budget set and nothing used yet for tenant ${view.tenant}`;
  const header = ['scope', 'period', 'from', 'tokens used', 'reserved', 'limit', 'usd used', 'reserved', 'limit'];
  const rows = view.scopes.map((scope) => [
    scope.scope, scope.period, scope.periodStart, String(scope.usedTokens), String(scope.reservedTokens),
    count(scope.limit?.maxTokens), dollars(scope.usedMicroUsd), dollars(scope.reservedMicroUsd),
    dollars(scope.limit?.maxMicroUsd),
  ]);
  return `${formatTable(header, rows, 3)}\n` +
    `${view.openReservations} open reservation(s) for tenant ${view.tenant}, as of ${view.asOf}`;
}

/** The tenant named as the argument or with `-t` (as every other command takes it): exactly one of them. */
export function budgetTenantOf(argument: string | undefined, options: TenantFlag): string {
  if (argument !== undefined && options.tenant !== undefined && argument !== options.tenant) {
    throw new InvalidArgumentError(`two tenants given: ${argument} and -t ${options.tenant}; give one`);
  }
  const tenant = argument ?? options.tenant;
  if (tenant === undefined) throw new InvalidArgumentError('name the tenant: `sluice budget show acme` or `-t acme`');
  return tenant;
}

// The flags are checked here, so a bad one is named as typed (`--max-usd`), not as the ledger's field
// (`limits.tenant.maxMicroUsd`); the ledger's schema still refuses absurd amounts.

/** Dollars as whole micro-dollars. */
function microUsdOf(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) {
    throw new InvalidArgumentError(`--max-usd: must be an amount in dollars such as 1.50, not ${value}`);
  }
  return Math.round(Number(value) * 1e6);
}

/** A token count written in digits. */
function tokensOf(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InvalidArgumentError(`--max-tokens: must be a whole number of tokens such as 200000, not ${value}`);
  }
  return Number(value);
}

/** Limits from the flags (one scope) or from a JSON file (the whole budget). */
export function limitsFromOptions(options: SetOptions): { limits: BudgetLimitsInput; mode: 'merge' | 'replace' } {
  if (options.file !== undefined) {
    if (options.period || options.maxTokens || options.maxUsd || options.feature) {
      throw new InvalidArgumentError('give either --file or --period/--max-tokens/--max-usd/--feature, not both');
    }
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new InvalidArgumentError(`cannot read ${options.file}: ${code}`);
    }
    try {
      return { limits: JSON.parse(text) as BudgetLimitsInput, mode: 'replace' };
    } catch (error) {
      throw new InvalidArgumentError(`${options.file} is not JSON: ${(error as Error).message}`);
    }
  }
  if (!options.period) throw new InvalidArgumentError('set needs --period hour|day|month (or --file budget.json)');
  const limit = {
    period: options.period as (typeof budgetPeriods)[number],
    ...(options.maxTokens !== undefined ? { maxTokens: tokensOf(options.maxTokens) } : {}),
    ...(options.maxUsd !== undefined ? { maxMicroUsd: microUsdOf(options.maxUsd) } : {}),
  };
  const limits = options.feature !== undefined ? { features: { [options.feature]: limit } } : { tenant: limit };
  return { limits, mode: 'merge' };
}

/** Adds `budget show <tenant>` and `budget set <tenant> …` to the CLI. */
export function registerBudgetCommands(program: Command, withClient: WithClient): void {
  const budget = program.command('budget').description("show or set a tenant's budget of tokens and money");
  withExamples(budget, ['sluice budget show acme', 'sluice budget set acme --period day --max-usd 5']);

  const show = budget
    .command('show')
    .description('limits, usage in the current period and open reservations, per scope')
    .argument('[tenant]', 'tenant whose budget to show (or -t)')
    .option('-t, --tenant <tenant>', 'the tenant, as other commands take it')
    .addOption(jsonOption())
    .action(async (argument: string | undefined, options: JsonFlag & TenantFlag) => {
      const tenant = budgetTenantOf(argument, options);
      const view = await withClient((client) => client.showBudget(tenant));
      printResult(options, view, formatBudgetView);
    });
  withExamples(show, ['sluice budget show acme', "sluice budget show acme --json | jq '.scopes[].usedTokens'"]);

  const set = budget
    .command('set')
    .description('set the limit of the tenant (or of one feature with --feature), or the whole budget from a file')
    .argument('[tenant]', 'tenant whose budget to set (or -t)')
    .option('-t, --tenant <tenant>', 'the tenant, as other commands take it')
    .addOption(new Option('--period <period>', 'period the limit runs over').choices(budgetPeriods))
    .option('--max-tokens <n>', 'most tokens per period')
    .option('--max-usd <dollars>', 'most money per period, in US dollars (e.g. 1.50)')
    .option('--feature <feature>', 'limit this feature of the tenant instead of the whole tenant')
    .option('--file <path>', 'JSON budget {"tenant": {…}, "features": {"qa": {…}}}, replacing the current one')
    .addOption(jsonOption())
    .action(async (argument: string | undefined, options: SetOptions) => {
      const tenant = budgetTenantOf(argument, options);
      const { limits, mode } = limitsFromOptions(options);
      const view = await withClient((client) => client.setBudget(tenant, limits, mode));
      printResult(options, view, formatBudgetView);
    });
  withExamples(set, [
    'sluice budget set acme --period day --max-tokens 200000 --max-usd 1.50',
    'sluice budget set acme --period month --max-usd 20 --feature qa',
    'sluice budget set acme --file budget.json',
  ]);
}
