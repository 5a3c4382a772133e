import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allowAdvice } from '../../src/core/aws/aws-error.js';
import { STEPS } from '../../src/core/steps/index.js';
import { actionsFor, actionsOfCall, iamActionFor, policyFor, registeredCalls, type PermissionCommand } from '../../src/core/permissions.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC_CORE = join(ROOT, 'src/core');
const ACCOUNT_READER = 'src/core/state/account-reader.ts';
const LABEL = /namedCall\(\s*'([a-z0-9-]+:[A-Za-z0-9]+)'/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const labelsIn = (text: string) => [...text.matchAll(LABEL)].map((m) => m[1]!);
const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/**
 * Which command makes the calls in a file: the check runner's are check's; steps' init halves, the init runner
 * and config preflights are init's. account-reader.ts is both's, read by read (see labelsFromSource).
 */
function ownerOf(path: string): PermissionCommand | undefined {
  if (path.startsWith('src/core/check/')) return 'check';
  if (/^src\/core\/steps\/[^/]+\.init\.ts$/.test(path) || path.startsWith('src/core/init/') || path.startsWith('src/core/config/')) {
    return 'init';
  }
  return undefined;
}

/**
 * The labels each account-reader read makes, read off the source: the READERS entry (a function name or an
 * inline arrow), following calls to the file's own functions and `reader.read('x')` of other reads.
 */
function readerLabels(): { byRead: Map<string, Set<string>>; byFunction: (name: string) => Set<string> } {
  const text = source(ACCOUNT_READER);
  const functions = new Map<string, string>();
  const starts = [...text.matchAll(/^(?:export )?(?:async )?function (\w+)/gm)];
  starts.forEach((m, i) => functions.set(m[1]!, text.slice(m.index, starts[i + 1]?.index ?? text.length)));
  const block = /const READERS: Readers = \{\n([\s\S]*?)\n\};/.exec(text)?.[1];
  if (!block) throw new Error('READERS not found in account-reader.ts: update this test');
  const entries = new Map<string, string>();
  const keys = [...block.matchAll(/^ {2}(\w+): /gm)];
  keys.forEach((m, i) => entries.set(m[1]!, block.slice(m.index! + m[0].length, keys[i + 1]?.index ?? block.length)));

  const labelsOfText = (body: string, seen: Set<string>): Set<string> => {
    const out = new Set(labelsIn(body));
    for (const [name, fnText] of functions) {
      if (!seen.has(name) && new RegExp(`\\b${name}\\(`).test(body.replace(/^[^\n]*function \w+/, ''))) {
        seen.add(name);
        for (const l of labelsOfText(fnText, seen)) out.add(l);
      }
    }
    return out;
  };
  const result = new Map<string, Set<string>>();
  const resolve = (read: string, seen: Set<string>): Set<string> => {
    const entry = entries.get(read);
    if (entry === undefined) throw new Error(`unknown read ${read}`);
    const fn = /^(\w+),?\s*$/.exec(entry)?.[1];
    const body = fn ? (functions.get(fn) ?? '') : entry;
    const out = labelsOfText(body, new Set(fn ? [fn] : []));
    for (const m of body.matchAll(/reader\.read\('(\w+)'\)/g)) {
      if (!seen.has(m[1]!)) for (const l of resolve(m[1]!, new Set([...seen, m[1]!]))) out.add(l);
    }
    return out;
  };
  for (const read of entries.keys()) result.set(read, resolve(read, new Set([read])));
  const byFunction = (name: string) => (functions.has(name) ? labelsOfText(functions.get(name)!, new Set([name])) : new Set<string>());
  return { byRead: result, byFunction };
}

/** Every namedCall label in src/core, with the commands that make it according to the source. */
function labelsFromSource(): Map<string, Set<PermissionCommand>> {
  const { byRead: byReader, byFunction } = readerLabels();
  const used = new Map<string, Set<PermissionCommand>>();
  const add = (label: string, command: PermissionCommand) => used.set(label, (used.get(label) ?? new Set()).add(command));
  // check makes the reads its controls declare, and the two its report always shows (as runCheck does).
  for (const read of new Set(['caller', 'aliases', ...STEPS.flatMap((s) => s.check.reads)])) {
    for (const label of byReader.get(read) ?? []) add(label, 'check');
  }
  for (const file of tsFiles(SRC_CORE)) {
    const path = relative(ROOT, file).split('\\').join('/');
    if (path === ACCOUNT_READER) continue;
    const text = readFileSync(file, 'utf8');
    const labels = labelsIn(text);
    if (labels.length === 0 && !/reader\.read\('/.test(text)) continue;
    const owner = ownerOf(path);
    if (owner === undefined) throw new Error(`${path} makes AWS calls but the permissions test does not know which command runs it`);
    for (const label of labels) add(label, owner);
    // init steps that read through the account reader, or call its functions, need those calls too.
    if (owner === 'init') {
      for (const m of text.matchAll(/reader\.read\('(\w+)'\)/g)) {
        for (const label of byReader.get(m[1]!) ?? []) add(label, 'init');
      }
      const imported = /import \{([^}]*)\} from '\.\.\/state\/account-reader\.js'/.exec(text)?.[1] ?? '';
      for (const name of imported.split(',').map((n) => n.trim())) {
        for (const label of byFunction(name)) add(label, 'init');
      }
    }
  }
  return used;
}

describe('permissions registry', () => {
  const used = labelsFromSource();
  const registered = registeredCalls();

  it('finds the calls it scans for (the scan itself works)', () => {
    expect(used.size).toBeGreaterThan(30);
    expect([...used.get('budgets:DescribeSubscribersForNotification')!].sort()).toEqual(['check', 'init']);
    expect([...used.get('iam:ListEntitiesForPolicy')!]).toEqual(['check']);
    expect([...used.get('iam:GetLoginProfile')!].sort()).toEqual(['check', 'init']);
    expect([...used.get('iam:CreateUser')!]).toEqual(['init']);
  });

  it('lists every call the source makes, for exactly the commands that make it', () => {
    const fromSource = Object.fromEntries([...used].map(([label, commands]) => [label, [...commands].sort()]));
    const fromRegistry = Object.fromEntries([...registered].map(([label, commands]) => [label, [...commands].sort()]));
    expect(fromRegistry).toEqual(fromSource);
  });

  it('maps operations to the IAM actions that authorize them', () => {
    expect(iamActionFor('budgets:DescribeBudgets')).toBe('budgets:ViewBudget');
    expect(iamActionFor('budgets:DescribeSubscribersForNotification')).toBe('budgets:ViewBudget');
    expect(iamActionFor('budgets:CreateSubscriber')).toBe('budgets:ModifyBudget');
    expect(iamActionFor('iam:ListMFADevices')).toBe('iam:ListMFADevices');
    for (const label of registered.keys()) expect(iamActionFor(label)).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });

  it('builds one sorted Allow statement over every resource', () => {
    const policy = policyFor('check');
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: actionsFor('check'), Resource: '*' }],
    });
    expect(policy.Statement[0]!.Action).toEqual([
      'budgets:ViewBudget',
      'iam:GetAccountSummary',
      'iam:GetGroup',
      'iam:GetLoginProfile',
      'iam:GetUser',
      'iam:ListAccountAliases',
      'iam:ListEntitiesForPolicy',
      'iam:ListMFADevices',
      'sts:GetCallerIdentity',
    ]);
    const init = actionsFor('init');
    expect(init).toEqual([...init].sort());
    expect(new Set(init).size).toBe(init.length);
    expect(init).toContain('budgets:ModifyBudget');
    expect(init).not.toContain('iam:ListEntitiesForPolicy');
  });

  it('adds the tag action of every create call that passes Tags (AWS checks iam:TagUser on CreateUser with Tags)', () => {
    const tagged = tsFiles(SRC_CORE).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      // Each namedCall up to the next one: the calls whose request carries Tags.
      return text.split(/(?=namedCall\()/).flatMap((part) => {
        const label = /^namedCall\(\s*'(iam:Create(\w+))'/.exec(part);
        return label && /\bTags:/.test(part) ? [[label[1]!, `iam:Tag${label[2]!}`] as const] : [];
      });
    });
    expect(tagged).toContainEqual(['iam:CreateUser', 'iam:TagUser']);
    for (const [, tagAction] of tagged) expect(actionsFor('init')).toContain(tagAction);
  });

  it('names the IAM action and the policy command in the access-denied advice', () => {
    expect(allowAdvice('budgets:DescribeBudgets')).toBe(
      'Add budgets:ViewBudget to its IAM policy (`aws-bootstrap permissions --for check` or `aws-bootstrap permissions --for init` prints all it needs)',
    );
    expect(allowAdvice('iam:CreateUser')).toContain('Add iam:CreateUser to its IAM policy (`aws-bootstrap permissions --for init`');
  });
});

/** The README's table of what each init step needs: `| \`step\` | \`iam:X\`, ... |` under "Which identity to run as". */
function readmeStepActions(): Map<string, Set<string>> {
  const text = source('README.md');
  const table = /\| step \| IAM actions \|\n\|---\|---\|\n((?:\|.*\|\n)+)/.exec(text)?.[1];
  if (!table) throw new Error('the README table "| step | IAM actions |" is missing: update this test');
  const rows = new Map<string, Set<string>>();
  for (const line of table.trim().split('\n')) {
    const [step, actions] = line.split('|').slice(1, 3).map((c) => c.trim());
    rows.set(step!.replace(/`/g, ''), new Set([...actions!.matchAll(/`([a-z0-9-]+:[A-Za-z0-9]+)`/g)].map((m) => m[1]!)));
  }
  return rows;
}

/**
 * The calls a step's init half makes: its own namedCalls, the helpers it imports from other steps and from the
 * account reader, its reader reads.
 */
function stepLabels(stepId: string, { byRead: byReader, byFunction }: ReturnType<typeof readerLabels>): Set<string> {
  const path = `src/core/steps/${stepId}.init.ts`;
  const text = source(path);
  const labels = new Set(labelsIn(text));
  for (const m of text.matchAll(/import \{([^}]*)\} from '\.\/([a-z-]+\.init)\.js'/g)) {
    const other = source(`src/core/steps/${m[2]}.ts`);
    for (const name of m[1]!.split(',').map((n) => n.trim())) {
      const body = new RegExp(`function ${name}\\b[\\s\\S]*?\\n\\}\\n`).exec(other)?.[0] ?? '';
      for (const l of labelsIn(body)) labels.add(l);
    }
  }
  for (const m of text.matchAll(/reader\.read\('(\w+)'\)/g)) for (const l of byReader.get(m[1]!) ?? []) labels.add(l);
  const imported = /import \{([^}]*)\} from '\.\.\/state\/account-reader\.js'/.exec(text)?.[1] ?? '';
  for (const name of imported.split(',').map((n) => n.trim())) for (const l of byFunction(name)) labels.add(l);
  return labels;
}

describe('the README table of what each init step needs', () => {
  const rows = readmeStepActions();
  const reader = readerLabels();
  const stepIds = readdirSync(join(SRC_CORE, 'steps'))
    .filter((f) => f.endsWith('.init.ts'))
    .map((f) => f.replace(/\.init\.ts$/, ''));

  it('has a row for every step, listing the actions of exactly the calls the step makes', () => {
    expect([...rows.keys()].filter((k) => k !== '(every run)').sort()).toEqual([...stepIds].sort());
    for (const id of stepIds) {
      const expected = new Set([...stepLabels(id, reader)].flatMap(actionsOfCall));
      // Every step reads the caller; the table lists that once.
      expected.delete('sts:GetCallerIdentity');
      expect([...rows.get(id)!].sort(), id).toEqual([...expected].sort());
    }
    expect(rows.get('admin-user')).toContain('iam:TagUser');
  });

  it('adds up to the init policy, and lists the check policy', () => {
    const union = new Set([...rows.values()].flatMap((r) => [...r]));
    expect([...union].sort()).toEqual(actionsFor('init'));
    const checkLine = /`check` needs only reads: ([^\n]*\n[^\n]*)/.exec(source('README.md'))?.[1] ?? '';
    expect([...checkLine.matchAll(/`([a-z0-9-]+:[A-Za-z0-9]+)`/g)].map((m) => m[1]).sort()).toEqual(actionsFor('check'));
  });
});
