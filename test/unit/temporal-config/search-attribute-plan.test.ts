import { temporal } from '@temporalio/proto';
import { sluiceSearchAttributes } from '../../../contracts/search-attributes';
import {
  planSearchAttributes, searchAttributeIndexTypes,
} from '../../../temporal-config/search-attribute-registration';
import { describeChange, summarise, tcldCommand } from '../../../temporal-config/search-attribute-report';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const names = Object.values(sluiceSearchAttributes).map((attribute) => attribute.name);

describe('the search-attribute plan', () => {
  it('adds every attribute to an empty namespace and nothing to one that has them all', () => {
    expect(planSearchAttributes({}).map((attribute) => attribute.state)).toEqual(names.map(() => 'missing'));
    const full = planSearchAttributes(searchAttributeIndexTypes());
    expect(full.every((attribute) => attribute.state === 'registered')).toBe(true);
    expect(summarise('prod', full, false))
      .toBe(`namespace prod: added 0, already registered ${names.length}, conflicting 0`);
  });

  it('adds only the missing ones, ignores attributes of other applications, reports a wrong type', () => {
    const plan = planSearchAttributes({
      SluiceTenant: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      SluiceCostMicroUsd: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
      OrderId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    });
    const state = (name: string) => plan.find((attribute) => attribute.name === name)?.state;
    expect(state('SluiceTenant')).toBe('registered');
    expect(state('SluiceCostMicroUsd')).toBe('wrong-type');
    expect(state('SluiceStatus')).toBe('missing');
    expect(plan.map((attribute) => attribute.name)).not.toContain('OrderId');
    expect(summarise('prod', plan, true))
      .toBe(`namespace prod: would add ${names.length - 2}, already registered 1, conflicting 1`);
  });

  it('says what it did, what it would do, and what it cannot fix', () => {
    const missing = { name: 'SluiceTenant', type: 'KEYWORD' as const, state: 'missing' as const };
    expect(describeChange(missing)).toBe('SluiceTenant (Keyword): will be added');
    expect(describeChange(missing, { ...missing, state: 'registered' })).toBe('SluiceTenant (Keyword): added');
    expect(describeChange(missing, missing)).toContain('not listed yet');
    expect(describeChange({ ...missing, state: 'registered' })).toBe('SluiceTenant (Keyword): already registered');
    expect(describeChange({ name: 'SluiceCostMicroUsd', type: 'INT', state: 'wrong-type' }))
      .toMatch(/^SluiceCostMicroUsd \(Int\): exists with another type/);
  });

  it('gives Temporal Cloud the tcld command for the missing attributes only', () => {
    const plan = planSearchAttributes({ SluiceTenant: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD });
    const command = tcldCommand('acme.a1b2c', plan);
    expect(command).toMatch(/^tcld namespace search-attributes add --namespace 'acme\.a1b2c'/);
    expect(command).toContain("--search-attribute 'SluiceCostMicroUsd=Int'");
    expect(command).not.toContain('SluiceTenant');
    expect(command.split('--search-attribute')).toHaveLength(names.length);
  });
});
