import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/core/config/config-json-schema.js';
import { ConfigSchema } from '../../src/core/config/config-schema.js';

type Schema = Record<string, unknown>;

/**
 * A small validator for exactly the keywords the generated schema may use: the ones draft-07 editors
 * (yaml-language-server, VS Code) understand as well as 2020-12 ones. Any other keyword fails the test,
 * so the schema cannot silently start to rely on something editors ignore.
 */
const KEYWORDS = new Set([
  '$schema', 'title', 'description', 'examples', 'default', 'type', 'properties', 'required', 'additionalProperties',
  'enum', 'const', 'anyOf', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'items',
  'minItems', 'maxItems',
]);

function validate(schema: Schema, value: unknown, path = ''): string[] {
  for (const keyword of Object.keys(schema)) if (!KEYWORDS.has(keyword)) throw new Error(`unexpected keyword ${keyword} at ${path || '(root)'}`);
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path || '(root)'}: ${message}`);
  if (schema.anyOf) {
    const options = schema.anyOf as Schema[];
    if (!options.some((option) => validate(option, value, path).length === 0)) fail('matches no option of anyOf');
    return errors;
  }
  const type = schema.type as string | undefined;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (type && !(type === actual || (type === 'integer' && Number.isInteger(value)))) return [`${path || '(root)'}: expected ${type}, got ${actual}`];
  if ('const' in schema && value !== schema.const) fail(`must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) fail(`must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern as string, 'u').test(value)) fail(`does not match ${String(schema.pattern)}`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) fail('too short');
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) fail('too long');
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) fail(`not above ${schema.exclusiveMinimum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail('too few items');
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) fail('too many items');
    if (schema.items) value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, `${path}[${i}]`)));
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) fail(`missing ${key}`);
    for (const [key, item] of Object.entries(object)) {
      const where = path ? `${path}.${key}` : key;
      if (properties[key]) errors.push(...validate(properties[key], item, where));
      else if (schema.additionalProperties === false) errors.push(`${where}: unknown key`);
    }
  }
  return errors;
}

const EXAMPLE = {
  accountAlias: 'acme-sandbox',
  adminGroup: { name: 'Administrators' },
  adminUser: { name: 'alice', password: 'generate', passwordResetRequired: true, mfa: 'defer' },
  rootAccessKeys: 'report',
  budget: { name: 'monthly-cost-budget', amount: 25, alertThresholdPercent: 80, emails: ['ops@example.com'] },
};

describe('the JSON Schema of the config file', () => {
  const schema = configJsonSchema();
  const properties = schema.properties as Record<string, Schema>;
  const section = (name: string) => properties[name] as { properties: Record<string, Schema>; required?: string[]; additionalProperties: unknown };

  it('is a draft 2020-12 schema with a title and a description, and no $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('aws-bootstrap config');
    expect(schema.description).toEqual(expect.stringContaining('init --config'));
    expect(schema).not.toHaveProperty('$id');
    expect(Object.keys(schema).slice(0, 3)).toEqual(['$schema', 'title', 'description']);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('accepts the example of the issue, with or without $schema and with defaults left out', () => {
    expect(validate(schema, EXAMPLE)).toEqual([]);
    expect(validate(schema, { $schema: './aws-bootstrap.schema.json', ...EXAMPLE })).toEqual([]);
    expect(validate(schema, {})).toEqual([]);
    expect(validate(schema, { adminGroup: {}, adminUser: { name: 'alice', password: 'env:ALICE_PW' }, budget: { amount: 0.5, emails: ['a@b.co'] } })).toEqual([]);
  });

  it('rejects what the zod schema rejects: unknown keys, types, ranges, values', () => {
    const bad = (value: unknown) => {
      expect(ConfigSchema.safeParse(value).success).toBe(false);
      return validate(schema, value);
    };
    expect(bad({ ...EXAMPLE, budgte: {} })).toEqual(['budgte: unknown key']);
    expect(bad({ ...EXAMPLE, budget: { ...EXAMPLE.budget, ammount: 1 } })).toEqual(['budget.ammount: unknown key']);
    expect(bad({ budget: { amount: 0, emails: ['a@b.co'] } })).toEqual(['budget.amount: not above 0']);
    expect(bad({ budget: { amount: '25', emails: ['a@b.co'] } })).toEqual(['budget.amount: expected number, got string']);
    expect(bad({ budget: { amount: 25, alertThresholdPercent: 1001, emails: ['a@b.co'] } })).toEqual(['budget.alertThresholdPercent: above 1000']);
    expect(bad({ budget: { amount: 25, emails: [] } })).toEqual(['budget.emails: too few items']);
    expect(bad({ budget: { amount: 25, emails: Array(11).fill('a@b.co') } })).toContain('budget.emails: too many items');
    expect(bad({ budget: { emails: ['a@b.co'] } })).toEqual(['budget: missing amount']);
    expect(bad({ adminUser: { name: 'alice', password: 'hunter2' } })).toEqual(['adminUser.password: matches no option of anyOf']);
    expect(bad({ adminUser: { name: 'alice', password: 'generate', mfa: 'later' } })).toEqual(['adminUser.mfa: must be one of ["prompt","defer"]']);
    expect(bad({ rootAccessKeys: 'keep' })).toEqual(['rootAccessKeys: must be one of ["delete","report"]']);
    expect(bad({ accountAlias: 'Acme--Sandbox' })).toEqual(['accountAlias: does not match ' + String(properties.accountAlias!.pattern)]);
    expect(bad({ adminGroup: null })).toEqual(['adminGroup: expected object, got null']);
  });

  it('closes every mapping, and says what is required', () => {
    expect(schema.additionalProperties).toBe(false);
    for (const name of ['adminGroup', 'adminUser', 'budget']) expect(section(name).additionalProperties).toBe(false);
    expect(schema.required).toBeUndefined();
    expect(section('adminGroup').required).toBeUndefined();
    expect(section('adminUser').required).toEqual(['name', 'password']);
    expect(section('budget').required).toEqual(['amount', 'emails']);
  });

  it('shows the enums, ranges and defaults', () => {
    expect(properties.rootAccessKeys).toMatchObject({ type: 'string', enum: ['delete', 'report'] });
    expect(section('adminGroup').properties.name).toMatchObject({ default: 'Administrators' });
    expect(section('adminUser').properties.mfa).toMatchObject({ enum: ['prompt', 'defer'], default: 'defer' });
    expect(section('adminUser').properties.passwordResetRequired).toMatchObject({ type: 'boolean', default: true });
    expect(section('adminUser').properties.password).toMatchObject({
      anyOf: [{ const: 'generate' }, { const: 'prompt' }, { pattern: '^env:[A-Za-z_][A-Za-z0-9_]*$' }],
    });
    expect(section('budget').properties.name).toMatchObject({ default: 'monthly-cost-budget' });
    expect(section('budget').properties.amount).toMatchObject({ type: 'number', exclusiveMinimum: 0 });
    expect(section('budget').properties.alertThresholdPercent).toMatchObject({ type: 'number', minimum: 1, maximum: 1000, default: 80 });
    expect(section('budget').properties.emails).toMatchObject({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 10 });
  });

  it('describes every property, so editors show help', () => {
    const undescribed: string[] = [];
    const walk = (node: Schema, path: string) => {
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) {
        const where = path ? `${path}.${key}` : key;
        if (typeof child.description !== 'string' || child.description.length < 10) undescribed.push(where);
        walk(child, where);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
    expect(Object.keys(properties)).toEqual(['$schema', 'accountAlias', 'adminGroup', 'adminUser', 'rootAccessKeys', 'budget']);
  });
});
