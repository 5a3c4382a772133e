import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/core/check/check-report.js';
import { checkExitCode } from '../../src/core/check/check-report.js';
import { renderCheck } from '../../src/cli/render/render-check.js';
import { shouldUseColor, styleFor } from '../../src/cli/render/style.js';

const report: CheckReport = {
  version: 1,
  account: { id: '111122223333', alias: 'acme', caller: 'arn:aws:iam::111122223333:root' },
  summary: { pass: 1, fail: 1, manual: 0, error: 0, skipped: 0 },
  controls: [
    { id: 'root-mfa', title: 'Root user has MFA', status: 'pass', detail: 'ok', remediation: null, references: ['CIS 1.4'] },
    {
      id: 'budget',
      title: 'A monthly cost budget alerts before it is spent',
      status: 'fail',
      detail: 'a|b\nc',
      remediation: 'Run `aws-bootstrap init --only budget`.',
      references: [],
    },
  ],
};

describe('check renderers', () => {
  it('json keeps the documented key order and round-trips', () => {
    const text = renderCheck(report, 'json', styleFor(false));
    expect(JSON.parse(text)).toEqual(report);
    expect(Object.keys(JSON.parse(text).controls[0])).toEqual(['id', 'title', 'status', 'detail', 'remediation', 'references']);
  });

  it('markdown escapes pipes and line breaks so a detail cannot break the table', () => {
    const text = renderCheck(report, 'markdown', styleFor(false));
    expect(text).toContain('| **fail** | `budget` A monthly cost budget alerts before it is spent | a\\|b c |');
    expect(text.split('\n').filter((l) => l.startsWith('|'))).toHaveLength(4);
  });

  it('table puts the fix under failing rows only, colour only when asked', () => {
    const plain = renderCheck(report, 'table', styleFor(false));
    expect(plain).toContain('fix: Run `aws-bootstrap init --only budget`.');
    expect(plain.match(/fix:/g)).toHaveLength(1);
    expect(plain).not.toContain('\u001b[');
    expect(renderCheck(report, 'table', styleFor(true))).toContain('\u001b[32mPASS');
  });

  it('decides colour from the flag, NO_COLOR, FORCE_COLOR, TERM and the TTY', () => {
    expect(shouldUseColor(true, { isTTY: true }, {})).toBe(true);
    expect(shouldUseColor(true, { isTTY: false }, {})).toBe(false);
    expect(shouldUseColor(false, { isTTY: true }, {})).toBe(false);
    expect(shouldUseColor(true, { isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(true, { isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(shouldUseColor(true, { isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('exit code: 1 on any fail, else 3 on any error, else 0 (manual and skipped never fail)', () => {
    const s = (over: Partial<CheckReport['summary']>) => ({ summary: { pass: 0, fail: 0, manual: 0, error: 0, skipped: 0, ...over } });
    expect(checkExitCode(s({ pass: 5, manual: 1, skipped: 2 }))).toBe(0);
    expect(checkExitCode(s({ fail: 1, error: 1 }))).toBe(1);
    expect(checkExitCode(s({ error: 1 }))).toBe(3);
  });
});
