import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/core/config/config-json-schema.js';
import { isolatedEnv, runCli } from '../support/run-cli.js';

/** The built CLI (`npm run build` first); no AWS endpoint or credentials: `schema` never calls AWS. */
describe('aws-bootstrap schema (built CLI)', () => {
  it('prints the JSON Schema of the config file on stdout and exits 0', async () => {
    const result = await runCli(['schema'], { env: isolatedEnv() });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const schema = JSON.parse(result.stdout);
    expect(schema).toEqual(configJsonSchema());
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'aws-bootstrap config',
      type: 'object',
      additionalProperties: false,
    });
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'accountAlias', 'adminGroup', 'adminUser', 'rootAccessKeys', 'budget']);
    expect(result.stdout.endsWith('}\n')).toBe(true);
  });

  it('is listed in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n\s+schema\s+print the JSON Schema/);
  });

  it('takes no arguments', async () => {
    const result = await runCli(['schema', 'extra']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
