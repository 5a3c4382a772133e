import { signInUrl } from '../aws/partition.js';
import { accountAliasInit } from './account-alias.init.js';
import { defineStep } from './step.js';

/** An alias gives IAM users a sign-in URL they can remember instead of the 12-digit account id. */
export const accountAlias = defineStep({
  id: 'account-alias',
  title: 'Account has an alias',
  references: [],
  remediation: () => 'Run `aws-bootstrap init --only account-alias`.',
  check: {
    reads: ['aliases', 'caller'],
    evaluate: ({ aliases, caller }, { partition, expected }) => {
      const alias = aliases[0];
      const wanted = expected?.accountAlias;
      if (wanted !== undefined && alias !== wanted) {
        return {
          status: 'fail',
          detail: alias ? `Alias is "${alias}", the config asks for "${wanted}".` : `No alias; the config asks for "${wanted}".`,
        };
      }
      return alias
        ? { status: 'pass', detail: `Alias "${alias}"; sign-in URL ${signInUrl(partition, alias)}` }
        : {
            status: 'fail',
            detail: `No alias; IAM users sign in at ${signInUrl(partition, caller.accountId)}`,
          };
    },
  },
  init: accountAliasInit,
});
