import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isCollection, isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
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

/** A regular file larger than this is not a config file. */
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
  // Not a regular file: a pipe such as `--config <(make-config)` or /dev/stdin, read as it is.
  if (info.isFile() && info.size > MAX_FILE_BYTES) fail(`the file is too large for a config file (${info.size} bytes)`);
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
  // YAML accepts more than JSON (trailing commas, comments, unquoted text): a .json file must be JSON. JSON
  // errors come first there; duplicate keys, which JSON.parse lets through, come from the YAML parser.
  if (/\.json$/i.test(file)) {
    const problem = jsonProblem(source);
    if (problem) {
      const where = problem.offset === undefined ? file : `${file}:${formatLinePos(lineCounter, problem.offset)}`;
      return { problems: [{ path: where, message: problem.message }] };
    }
  }
  // Warnings too: an unknown tag (a value starting with !) would otherwise silently become "".
  const found = [...doc.errors, ...doc.warnings].map((e) => ({ offset: e.pos[0], message: syntaxMessage(e.code, e.message) }));
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) found.push({ offset: pair.key.range?.[0] ?? 0, message: 'a key must be text, not a list or a mapping' });
    },
  });
  if (found.length > 0) {
    const seen = new Set<string>();
    const problems = found
      .sort((a, b) => a.offset - b.offset)
      .map(({ offset, message }) => ({ path: `${file}:${formatLinePos(lineCounter, offset)}`, message }))
      .filter(({ path, message }) => !seen.has(`${path} ${message}`) && Boolean(seen.add(`${path} ${message}`)));
    return { problems };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { problems: [{ path: file, message: valueProblem(error) }] };
  }
  if (value === null || value === undefined) return { problems: [{ path: file, message: 'the file is empty' }] };
  return { value, doc };
}

function formatLinePos(lineCounter: LineCounter, offset: number): string {
  const { line, col } = lineCounter.linePos(offset);
  return `${line}:${col}`;
}

/**
 * Whether `text` is JSON (JSON.parse decides), and if not, where and why. JSON.parse's own message is not
 * used: it may quote the file (a password written in it, say) and often gives no position.
 */
function jsonProblem(text: string): { offset?: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return locateJsonError(text) ?? { message: 'not valid JSON' };
  }
}

/** A small JSON reader that only finds the first syntax error: its offset and a plain message. */
export function locateJsonError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string, at = i): never => {
    const why = text.startsWith('//', at) || text.startsWith('/*', at)
      ? 'comments are not allowed in JSON'
      : text[at] === "'"
        ? 'JSON strings and keys take double quotes'
        : at >= text.length
          ? `the JSON ends too early: ${message}`
          : message;
    throw new JsonSyntaxError(at, why);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const string = () => {
    const start = i;
    i += 1;
    for (;;) {
      if (i >= text.length) fail('a string is not closed', start);
      const c = text[i]!;
      if (c === '"') break;
      if (c < ' ') fail('a string cannot hold a line break or a tab (write \\n or \\t)');
      i += c === '\\' ? 2 : 1;
    }
    i += 1;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return members('}', () => {
      if (text[i] !== '"') fail('expected a key in double quotes');
      string();
      space();
      if (text[i] !== ':') fail("expected ':' after the key");
      i += 1;
      value();
    });
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    const match = number.exec(text);
    if (match) {
      i += match[0].length;
      return;
    }
    fail('expected a value (text in double quotes, a number, true, false, null, [...] or {...})');
  };
  const members = (close: string, member: () => void) => {
    i += 1;
    space();
    if (text[i] === close) {
      i += 1;
      return;
    }
    let comma = -1;
    for (;;) {
      space();
      if (text[i] === close && comma >= 0) fail(`a comma before '${close}' is not allowed in JSON`, comma);
      member();
      space();
      if (text[i] === ',') {
        comma = i;
        i += 1;
        continue;
      }
      if (text[i] === close) {
        i += 1;
        return;
      }
      fail(`expected ',' or '${close}'`);
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail('unexpected text after the end of the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The YAML parser's message, minus anything it quotes from the file (a password written in the wrong place
 * must not end up on the screen): some messages end with the offending text.
 */
export function syntaxMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key: a key appears only once in a mapping';
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (---): put everything in one';
    case 'TAG_RESOLVE_FAILED':
      return 'unknown YAML tag: a value that starts with ! must be in quotes';
    case 'BAD_DIRECTIVE':
      return 'a line that starts with % is a YAML directive: put the value in quotes';
    default: {
      const quoted = message.replace(/: ".*"$/s, '');
      const prefix = /^(Not a YAML token|Block scalar header includes extra characters)\b/.exec(quoted);
      return prefix ? prefix[1]! : quoted;
    }
  }
}

/** An error while turning the parsed file into values (an alias without its anchor, say), without quoting it. */
function valueProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('Unresolved alias')) {
    return 'a value that starts with * is a YAML alias, and no anchor (&) has that name: put the value in quotes';
  }
  return message.split(':')[0]!;
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
