import * as z from 'zod';
import { ConfigSchema } from './config-schema.js';

/**
 * The JSON Schema (draft 2020-12) of the config file, generated from the zod schema that validates it, for
 * `aws-bootstrap schema` and editors (`# yaml-language-server: $schema=./aws-bootstrap.schema.json`). It
 * describes the file as written (`io: 'input'`): keys with a default are optional and show that default.
 * Only keywords that draft-07 editors understand as well are used (type, enum/const, anyOf, pattern, lengths,
 * minimum/maximum, items, required, additionalProperties, default, description, examples).
 */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, title, description, ...rest } = z.toJSONSchema(ConfigSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  return { $schema, title, description, ...rest };
}
