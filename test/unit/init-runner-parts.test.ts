import { describe, expect, it } from 'vitest';
import { renderInitJson, renderInitSummary } from '../../src/cli/render/init-summary.js';
import { styleFor } from '../../src/cli/render/style.js';
import { BootstrapError } from '../../src/core/errors.js';
import type { InitReport } from '../../src/core/init/init-report.js';
import { Journal } from '../../src/core/init/journal.js';
import { selectSteps } from '../../src/core/init/select-steps.js';

describe('step selection (--only / --skip)', () => {
  const chosen = (only?: string, skip?: string) => selectSteps(only, skip).filter((s) => s.selected).map((s) => s.step.id);

  it('keeps init order whatever order the ids are given in', () => {
    expect(chosen('budget,account-alias')).toEqual(['account-alias', 'budget']);
    expect(chosen(undefined, 'root-mfa, billing-access')).toEqual([
      'root-access-keys',
      'account-alias',
      'admin-group',
      'admin-user',
      'admin-user-mfa',
      'budget',
    ]);
    expect(chosen()).toHaveLength(8);
  });

  it('rejects unknown ids, empty lists and both flags at once, listing the valid ids', () => {
    const error = (() => {
      try {
        selectSteps('budget,bugdet', undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BootstrapError);
    expect(error).toMatchObject({ code: 'USAGE', exitCode: 2 });
    expect((error as Error).message).toContain('unknown step id "bugdet"');
    expect((error as Error).message).toContain('Valid ids: root-mfa, root-access-keys');
    expect(() => selectSteps(',', undefined)).toThrow('no step ids given');
    expect(() => selectSteps('budget', 'root-mfa')).toThrow('cannot be used together');
  });
});

describe('the journal of a run', () => {
  it('says nothing was changed, or lists every write in order', () => {
    const journal = new Journal();
    expect(journal.summaryLine()).toBe('Nothing was changed.');
    journal.record('admin-group', { action: 'create', target: 'iam:group/Administrators', detail: '' });
    journal.record('admin-group', { action: 'attach', target: 'iam:group/Administrators', detail: 'AdministratorAccess' });
    expect(journal.summaryLine()).toBe(
      'Done before the interruption: create iam:group/Administrators; attach iam:group/Administrators (AdministratorAccess).',
    );
  });

  it('names the writes that were sent but not answered: they may or may not have happened', () => {
    const journal = new Journal();
    expect(journal.summaryLine(['iam:CreateGroup'])).toBe(
      'Nothing was changed for sure. Sent but not answered, so perhaps done: iam:CreateGroup. ' +
        'Run init again: it reads what is there and carries on.',
    );
    journal.record('account-alias', { action: 'create', target: 'iam:account-alias', detail: 'acme' });
    expect(journal.summaryLine(['iam:CreateGroup'])).toBe(
      'Done before the interruption: create iam:account-alias (acme). Sent but not answered, so perhaps done: ' +
        'iam:CreateGroup. Run init again: it reads what is there and carries on.',
    );
  });
});

describe('init output', () => {
  const report: InitReport = {
    version: 1,
    dryRun: false,
    steps: [
      { id: 'root-mfa', status: 'manual', changes: [] },
      { id: 'account-alias', status: 'created', changes: [{ action: 'create', target: 'iam:account-alias', detail: 'acme' }] },
      { id: 'budget', status: 'failed', changes: [] },
    ],
  };

  it('prints exactly { version, dryRun, steps: [{ id, status, changes }] } as JSON', () => {
    const doc = JSON.parse(renderInitJson(report));
    expect(doc).toEqual(report);
    expect(Object.keys(doc)).toEqual(['version', 'dryRun', 'steps']);
    expect(Object.keys(doc.steps[1])).toEqual(['id', 'status', 'changes']);
  });

  it('summarises rows, the sign-in URL, the admin user, failures and what is left by hand', () => {
    const text = renderInitSummary(
      report,
      {
        signInUrl: 'https://acme.signin.aws.amazon.com/console',
        adminUser: 'alice',
        leftToDo: ['Add MFA to the root user.'],
        failures: { budget: 'AWS returned an error on budgets:CreateBudget' },
      },
      styleFor(false),
    );
    expect(text).toMatch(/^CREATED +account-alias +create iam:account-alias \(acme\)$/m);
    expect(text).toMatch(/^FAILED +budget +AWS returned an error on budgets:CreateBudget$/m);
    expect(text).toContain('Sign-in URL:  https://acme.signin.aws.amazon.com/console');
    expect(text).toContain('Admin user:   alice');
    expect(text).toContain('  - Add MFA to the root user.');
    expect(text).not.toContain('Nothing changed');
  });

  it('says so when a run changed nothing', () => {
    const unchanged: InitReport = { version: 1, dryRun: false, steps: [{ id: 'budget', status: 'unchanged', changes: [] }] };
    expect(renderInitSummary(unchanged, { leftToDo: [], failures: {} }, styleFor(false))).toContain(
      'Nothing changed: the account already matches what you asked for.',
    );
  });
});
