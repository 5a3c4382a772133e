import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { BootstrapError } from '../errors.js';
import { ConfigSchema, ENV_PASSWORD_PATTERN, knownKeysAt } from './config-schema.js';
import type { BootstrapConfig, ConfigProblem } from './config-types.js';
import { didYouMean } from './did-you-mean.js';

/** What the checks that depend on where aws-bootstrap runs need to know. */
export interface ConfigContext {
  /** A terminal is attached: `prompt` answers and a generated password shown on screen are possible. */
  isTTY: boolean;
  /** For `password: env:NAME` (only whether NAME is set is checked; its value is never printed). */
  env: NodeJS.ProcessEnv;
  /**
   * `init` (the default) checks that the file can be applied here: terminal, environment variable, password file.
   * `check` only reads the names and values to compare with the account, so those checks are left out.
   */
  purpose?: 'init' | 'check';
  /**
   * Report a `passwordFile` that exists already. Off by default: a re-run whose user already has a console
   * password generates none, so the file of the first run is no obstacle (password-file-preflight.ts stops
   * the run when a password would really be generated).
   */
  refuseExistingPasswordFile?: boolean;
}

export type ConfigValidation = { config: BootstrapConfig } | { problems: ConfigProblem[] };

/** A file larger than this is not a config file (and reading a device or a huge file would hang). */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads, parses and validates a config file (YAML or JSON: JSON is parsed as YAML, duplicate keys are errors).
 * Every problem is collected and thrown at once as one BootstrapError('CONFIG_INVALID') (exit 2), one
 * `path: message` a line, in the order of the file; problems with the file itself use the file's name as path
 * (`acme.yaml: the file is empty`, `acme.yaml:3:5: <YAML syntax error>`). Nothing here calls AWS.
 */
export async function loadConfig(path: string, context: ConfigContext): Promise<BootstrapConfig> {
  const text = await readConfigFile(path);
  const parsed = parseConfigText(text, path);
  if ('problems' in parsed) throw configError(path, parsed.problems);
  const { value, doc } = parsed;
  const result = validateConfig(value, context);
  if ('config' in result) return result.config;
  const offset = (problem: ConfigProblem) => offsetOf(doc, problem.path);
  const sorted = result.problems
    .map((problem, index) => ({ problem, index, at: offset(problem) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ problem }) => (problem.path === '' ? { ...problem, path } : problem));
  throw configError(path, sorted);
}

/**
 * Validates a parsed file: the schema (with defaults filled in) and, for `init`, what the file needs from
 * the place it runs. All problems at once; `path` '' is the file as a whole.
 */
export function validateConfig(value: unknown, context: ConfigContext): ConfigValidation {
  const parsed = ConfigSchema.safeParse(value);
  const problems: ConfigProblem[] = parsed.success ? [] : parsed.error.issues.flatMap(problemsOfIssue);
  if (context.purpose !== 'check') problems.push(...contextProblems(value, context));
  if (problems.length > 0 || !parsed.success) return { problems };
  const { $schema: _schema, ...config } = parsed.data;
  return { config };
}

/** `budget.amount`, `budget.emails[1]`; '' for the file itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The one error for a bad file: a line saying which file, then one `path: message` a line. */
export function configError(file: string, problems: readonly ConfigProblem[]): BootstrapError {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
  return new BootstrapError('CONFIG_INVALID', [`The config file ${file} has ${count}; nothing was changed:`, ...lines].join('\n'));
}

// --- the file -------------------------------------------------------------------------------------------------

async function readConfigFile(path: string): Promise<string> {
  const fail = (message: string): never => {
    throw configError(path, [{ path, message }]);
  };
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    return fail(readProblem(error));
  }
  if (info.isDirectory()) fail('is a directory, not a file');
  if (!info.isFile()) fail('is not a regular file');
  if (info.size > MAX_FILE_BYTES) fail(`the file is too large for a config file (${info.size} bytes)`);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    return fail(readProblem(error));
  }
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'the file does not exist';
    case 'ENOTDIR':
      return 'the file does not exist (a part of the path is not a directory)';
    case 'EACCES':
    case 'EPERM':
      return 'the file cannot be read (permission denied)';
    default:
      return `the file cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

type Parsed = { value: unknown; doc: Document } | { problems: ConfigProblem[] };

/** YAML (JSON is YAML) to a plain value; syntax errors as `file:line:column`. */
export function parseConfigText(text: string, file: string): Parsed {
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') return { problems: [{ path: file, message: 'the file is empty' }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const error of doc.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const problem = { path: `${file}:${line}:${col}`, message: syntaxMessage(error.code, error.message) };
      const key = `${problem.path} ${problem.message}`;
      if (!seen.has(key)) problems.push(problem);
      seen.add(key);
    }
    return { problems };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { problems: [{ path: file, message: error instanceof Error ? error.message : String(error) }] };
  }
  if (value === null || value === undefined) return { problems: [{ path: file, message: 'the file is empty' }] };
  return { value, doc };
}

function syntaxMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key: a key appears only once in a mapping';
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (---): put everything in one';
    default:
      return message;
  }
}

/** Where in the file a problem is, for sorting: the node at its path, else the nearest one above it. */
function offsetOf(doc: Document, path: string): number {
  if (path === '') return -1;
  const keys: (string | number)[] = [];
  for (const part of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(part[2] !== undefined ? Number(part[2]) : part[1]!);
  for (let n = keys.length; n > 0; n -= 1) {
    const node = doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return -1;
}

// --- problems -------------------------------------------------------------------------------------------------

function problemsOfIssue(issue: { code: string; path: PropertyKey[]; message: string; keys?: string[] }): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    return (issue.keys ?? []).map((key) => {
      const suggestion = didYouMean(key, known);
      const message = suggestion
        ? `unknown key (did you mean "${suggestion}"?)`
        : `unknown key (the keys here are ${known.filter((k) => k !== '$schema').join(', ')})`;
      return { path: formatPath([...issue.path, key]), message };
    });
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What applying the file needs from here: a terminal for `prompt`, the variable for `env:NAME`, a password file. */
function contextProblems(value: unknown, context: ConfigContext): ConfigProblem[] {
  const user = isRecord(value) && isRecord(value.adminUser) ? value.adminUser : undefined;
  if (!user) return [];
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ path: `adminUser.${key}`, message });
  const { password, passwordFile, mfa } = user;

  if (mfa === 'prompt' && !context.isTTY) {
    add('mfa', 'prompt needs a terminal, and none is attached: use defer (the user enrols at first sign-in)');
  }
  if (password === 'prompt' && !context.isTTY) {
    add('password', 'prompt needs a terminal, and none is attached: use generate (with passwordFile) or env:NAME');
  }
  if (typeof password === 'string' && ENV_PASSWORD_PATTERN.test(password)) {
    const name = password.slice('env:'.length);
    if (!context.env[name]) add('password', `environment variable ${name} is not set`);
  }
  if (password === 'generate') {
    if (passwordFile === undefined) {
      if (!context.isTTY) add('passwordFile', 'required when password is generate and no terminal is attached');
    } else if (typeof passwordFile === 'string' && passwordFile.trim() !== '') {
      const problem = passwordFileProblem(passwordFile, context.refuseExistingPasswordFile === true);
      if (problem) add('passwordFile', problem);
    }
  }
  return problems;
}

/** The file is created later (mode 0600, never overwriting): its directory must exist and be writable. */
function passwordFileProblem(file: string, refuseExisting: boolean): string | undefined {
  const full = resolve(file);
  const existing = statOrUndefined(full);
  if (existing?.isDirectory()) return `${file} is a directory, not a file`;
  if (existing) return refuseExisting ? `${file} already exists; aws-bootstrap never overwrites a password file` : undefined;
  const dir = dirname(full);
  const dirStat = statOrUndefined(dir);
  if (!dirStat) return `the directory ${dirname(file)} does not exist`;
  if (!dirStat.isDirectory()) return `${dirname(file)} is not a directory`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `the directory ${dirname(file)} is not writable`;
  }
  return undefined;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
