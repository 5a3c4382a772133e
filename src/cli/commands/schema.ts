import { configJsonSchema } from '../../core/config/config-json-schema.js';
import { ExitCode } from '../../core/exit-codes.js';

/** `aws-bootstrap schema`: the config file's JSON Schema on stdout, e.g. `aws-bootstrap schema > aws-bootstrap.schema.json`. */
export async function schemaCommand(): Promise<number> {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return ExitCode.Ok;
}
