import { BootstrapError } from '../errors.js';
import type {
  ConfirmQuestion,
  InteractiveIoHost,
  IoHost,
  SecretHandOver,
  SecretHandOverRequest,
  SecretQuestion,
  SelectQuestion,
  TextQuestion,
} from '../io-host.js';
import type { BootstrapConfig } from './config-types.js';
import { commitPassword, discardPassword, pendingPasswordFile, stagePassword } from './password-file.js';
import { DEFAULT_THRESHOLD } from '../steps/budget.init.js';

export interface ConfigIoHostOptions {
  /** Where progress, explanations and warnings go (stderr). */
  output: IoHost;
  /** --yes: apply without asking. Without it, confirmations go to `interactive` (a terminal must be attached). */
  yes: boolean;
  /** A terminal, for what a file cannot answer: `password: prompt`, `mfa: prompt`, confirmations without --yes. */
  interactive?: InteractiveIoHost;
  env: NodeJS.ProcessEnv;
}

/** Confirmations that approve a step's planned writes: --yes answers them, otherwise the person does. */
const APPROVALS = new Set([
  'account-alias.confirm',
  'account-alias.replace',
  'admin-group.confirm',
  'admin-user.confirm',
  'admin-user-mfa.confirm',
  'budget.confirm',
  'budget.update',
]);

/**
 * Answers init's questions from the config file, by question id. What the file cannot answer goes to the
 * terminal when there is one; a generated password goes to the 0600 password file when one is named.
 * A config value the step rejects (a taken alias, a password the account's policy refuses) is a config error.
 */
export class ConfigIoHost implements InteractiveIoHost {
  constructor(
    private readonly config: BootstrapConfig,
    private readonly options: ConfigIoHostOptions,
  ) {}

  progress(message: string): void {
    this.options.output.progress(message);
  }
  warn(message: string): void {
    this.options.output.warn(message);
  }
  debug(message: string): void {
    this.options.output.debug(message);
  }
  info(message: string): void {
    if (this.options.interactive) this.options.interactive.info(message);
    else this.options.output.progress(message);
  }
  stepStarted(step: { id: string; title: string; why: string }): void {
    if (this.options.interactive) this.options.interactive.stepStarted(step);
    else this.options.output.progress(`\n${step.title} (${step.id})`);
  }

  /** The file's answer to a text question, for reading ahead; undefined for what only a person can answer. */
  knownAnswer(id: string): string | undefined {
    const { config } = this;
    switch (id) {
      case 'admin-group.name':
        return config.adminGroup?.name ?? 'Administrators';
      case 'admin-user.name':
      case 'admin-user-mfa.user':
        return config.adminUser?.name;
      case 'budget.name':
        return config.budget?.name;
      case 'budget.threshold':
        return config.budget ? thresholdAnswer(config) : undefined;
      default:
        return undefined;
    }
  }

  private needTerminal(what: string): InteractiveIoHost {
    if (!this.options.interactive) throw new BootstrapError('CONFIG_INVALID', `${what} needs a terminal, and none is attached.`);
    return this.options.interactive;
  }

  private checked(question: TextQuestion | SecretQuestion, path: string, value: string, secret = false): string {
    const verdict = question.validate?.(value) ?? true;
    if (verdict !== true) {
      throw new BootstrapError('CONFIG_INVALID', `${path}: ${secret ? verdict : `"${value}": ${verdict}`}`);
    }
    return value;
  }

  async text(question: TextQuestion): Promise<string> {
    const { config } = this;
    switch (question.id) {
      case 'account-alias.alias':
        return this.checked(question, 'accountAlias', required(config.accountAlias, 'accountAlias'));
      case 'admin-group.name':
        return this.checked(question, 'adminGroup.name', config.adminGroup?.name ?? 'Administrators');
      case 'admin-user.name':
      case 'admin-user-mfa.user':
        return this.checked(question, 'adminUser.name', required(config.adminUser?.name, 'adminUser.name'));
      case 'admin-user-mfa.code1':
      case 'admin-user-mfa.code2':
        return this.needTerminal('adminUser.mfa: prompt').text(question);
      case 'budget.name':
        return this.checked(question, 'budget.name', required(config.budget?.name, 'budget.name'));
      case 'budget.amount':
        return this.checked(question, 'budget.amount', String(required(config.budget?.amount, 'budget.amount')));
      case 'budget.emails':
        return this.checked(question, 'budget.emails', required(config.budget?.emails, 'budget.emails').join(', '));
      case 'budget.threshold':
        return this.checked(question, 'budget.alertThresholdPercent', thresholdAnswer(config));
      default:
        throw unanswerable(question.id);
    }
  }

  async secret(question: SecretQuestion): Promise<string> {
    if (question.id !== 'admin-user.password') throw unanswerable(question.id);
    const mode = required(this.config.adminUser?.password, 'adminUser.password');
    if (mode === 'prompt') return this.needTerminal('adminUser.password: prompt').secret(question);
    if (mode.startsWith('env:')) {
      const name = mode.slice('env:'.length);
      const value = this.options.env[name];
      if (!value) throw new BootstrapError('CONFIG_INVALID', `adminUser.password: environment variable ${name} is not set.`);
      const verdict = question.validate?.(value) ?? true;
      if (verdict !== true) {
        throw new BootstrapError('CONFIG_INVALID', `adminUser.password: the password in ${name} is not accepted: ${verdict}`);
      }
      return value;
    }
    throw unanswerable(question.id);
  }

  async select<T extends string>(question: SelectQuestion<T>): Promise<T> {
    let value: string;
    switch (question.id) {
      case 'admin-user.password-mode':
        value = this.config.adminUser?.password === 'generate' ? 'generate' : 'type';
        break;
      case 'root-mfa.next':
      case 'root-access-keys.next':
        // A file cannot go to the console: report the step as manual, never wait.
        value = 'skip';
        break;
      default:
        throw unanswerable(question.id);
    }
    if (!question.choices.some((c) => c.value === value)) throw unanswerable(question.id);
    return value as T;
  }

  async confirm(question: ConfirmQuestion): Promise<boolean> {
    switch (question.id) {
      case 'account-alias.keep':
        // The file names the alias: answering "no" makes the step compare it with the current one.
        return false;
      case 'admin-user.password-reset-required':
        return this.config.adminUser?.passwordResetRequired ?? true;
      case 'billing-access.confirm':
        // Nobody has said so in the file, and no API can tell: it stays on the list of things to do.
        return false;
      case 'root-access-keys.confirm':
        if (this.config.rootAccessKeys !== 'delete') return false;
        return this.approve(question);
      default:
        if (!APPROVALS.has(question.id)) throw unanswerable(question.id);
        return this.approve(question);
    }
  }

  private approve(question: ConfirmQuestion): Promise<boolean> {
    if (this.options.yes) return Promise.resolve(true);
    return this.needTerminal('Confirming a change without --yes').confirm(question);
  }

  showSecret(label: string, value: string): void {
    this.needTerminal('Showing a secret').showSecret(label, value);
  }

  /**
   * A generated console password goes to the password file (see password-file.ts): pending before it is set,
   * the file itself once AWS has set it. Without a password file, the terminal shows it.
   */
  async handOverSecret(request: SecretHandOverRequest): Promise<SecretHandOver> {
    const file = this.config.adminUser?.passwordFile;
    if (!file || !request.label.startsWith('Console password')) {
      return this.needTerminal('Showing a secret').handOverSecret(request);
    }
    const staged = stagePassword(file, () => request.generate(), (value) => request.validate(value));
    if (staged.kept) this.info(`Using the console password kept in ${pendingPasswordFile(file)} by another run (an unfinished one, or one running now).`);
    return {
      value: staged.value,
      settled: (outcome) => {
        if (outcome === 'not-set') {
          discardPassword(file, staged.value);
          return;
        }
        const where = commitPassword(file);
        if (outcome === 'unknown' && where !== file) {
          // The file holds another run's password, which AWS accepted; ours was never set.
          discardPassword(file, staged.value);
          this.info(`The console password another run set is in ${file}.`);
        } else if (outcome === 'unknown') {
          this.warn(
            `${where} holds the password this run tried to set, but AWS says the user had one already (another ` +
              'run sets the same one from the pending file): if signing in with it fails, reset it in the IAM console.',
          );
        } else {
          this.info(`The console password is in ${where} (readable by you only). Move it to a password manager and delete the file.`);
        }
      },
    };
  }

  showQrCode(text: string): void {
    this.needTerminal('adminUser.mfa: prompt').showQrCode(text);
  }
}

function required<T>(value: T | undefined, path: string): T {
  if (value === undefined) throw new BootstrapError('CONFIG_INVALID', `${path}: missing from the config file.`);
  return value;
}

function unanswerable(id: string): BootstrapError {
  return new BootstrapError('INTERNAL', `The config file has no answer for the question "${id}". This is a bug in aws-bootstrap.`);
}

/** The alert threshold the file gives, as text; the schema's default when it gives none. */
function thresholdAnswer(config: BootstrapConfig): string {
  return String(config.budget?.alertThresholdPercent ?? DEFAULT_THRESHOLD);
}
