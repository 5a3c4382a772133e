import { isMonthlyCostBudget } from '../state/account-reader.js';
import type { BudgetNotification, BudgetState } from '../state/account-state.js';
import { budgetInit } from './budget.init.js';
import { defineStep, type Evaluation } from './step.js';

/** True when this notification warns before the month's budget is spent, and someone receives it. */
export function isEffectiveAlert(n: BudgetNotification, budget: BudgetState): boolean {
  if (n.notificationType !== 'ACTUAL' && n.notificationType !== 'FORECASTED') return false;
  if (n.comparisonOperator !== 'GREATER_THAN') return false;
  if (n.subscribers.length === 0) return false;
  if (n.thresholdType === 'PERCENTAGE') return n.threshold <= 100;
  if (n.thresholdType === 'ABSOLUTE_VALUE') return budget.limit !== undefined && n.threshold <= budget.limit.amount;
  return false;
}

function describeAlert(n: BudgetNotification, budget: BudgetState): string {
  const threshold = n.thresholdType === 'PERCENTAGE' ? `${n.threshold}%` : `${n.threshold} ${budget.limit?.unit ?? ''}`.trim();
  const count = n.subscribers.length;
  return `${n.notificationType} > ${threshold} to ${count} subscriber${count === 1 ? '' : 's'}`;
}

/** `check --config`: this budget, this amount, an ACTUAL alert at this threshold reaching these emails. */
function evaluateExpectedBudget(
  budgets: BudgetState[],
  wanted: { name: string; amount: number; alertThresholdPercent: number; emails: string[] },
): Evaluation {
  const b = budgets.find((x) => x.name === wanted.name);
  if (!b) return { status: 'fail', detail: `No budget named "${wanted.name}".` };
  if (!isMonthlyCostBudget(b)) return { status: 'fail', detail: `"${b.name}" is a ${b.timeUnit} ${b.budgetType} budget, not MONTHLY COST.` };
  if (!b.limit || b.limit.amount !== wanted.amount || b.limit.unit !== 'USD') {
    const limit = b.limit ? `${b.limit.amount} ${b.limit.unit}` : 'no limit';
    return { status: 'fail', detail: `${b.name}: ${limit} a month, the config asks for ${wanted.amount} USD.` };
  }
  const alert = b.notifications.find(
    (n) =>
      n.notificationType === 'ACTUAL' &&
      n.comparisonOperator === 'GREATER_THAN' &&
      n.thresholdType === 'PERCENTAGE' &&
      n.threshold === wanted.alertThresholdPercent,
  );
  if (!alert) return { status: 'fail', detail: `${b.name}: no ACTUAL > ${wanted.alertThresholdPercent}% alert.` };
  const have = new Set(alert.subscribers.filter((s) => s.type === 'EMAIL').map((s) => s.address.toLowerCase()));
  const missing = wanted.emails.filter((e) => !have.has(e.toLowerCase()));
  if (missing.length > 0) return { status: 'fail', detail: `${b.name}: the alert does not email ${missing.join(', ')}.` };
  return { status: 'pass', detail: `${b.name}: ${wanted.amount} USD a month, alert at ${describeAlert(alert, b)}.` };
}

/** A monthly cost budget with an alert is the cheapest insurance against a surprise bill (ACCT.10). */
export const budget = defineStep({
  id: 'budget',
  title: 'A monthly cost budget alerts before it is spent',
  references: ['AWS Startup Security Baseline ACCT.10'],
  remediation: () => 'Run `aws-bootstrap init --only budget`.',
  check: {
    reads: ['budgets'],
    evaluate: ({ budgets }, { expected }) => {
      if (expected?.budget) return evaluateExpectedBudget(budgets, expected.budget);
      const monthly = budgets.filter(isMonthlyCostBudget);
      if (monthly.length === 0) {
        return { status: 'fail', detail: 'No MONTHLY COST budget.' };
      }
      for (const b of monthly) {
        const alert = b.notifications.find((n) => isEffectiveAlert(n, b));
        if (alert) {
          const limit = b.limit ? `${b.limit.amount} ${b.limit.unit} a month, ` : '';
          return { status: 'pass', detail: `${b.name}: ${limit}alert at ${describeAlert(alert, b)}.` };
        }
      }
      return {
        status: 'fail',
        detail: `${monthly.map((b) => b.name).join(', ')}: no ACTUAL or FORECASTED alert at or below 100% with a subscriber.`,
      };
    },
  },
  init: budgetInit,
});
