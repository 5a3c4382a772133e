import confirm from '@inquirer/confirm';
import input from '@inquirer/input';
import password from '@inquirer/password';
import select from '@inquirer/select';
import { BootstrapError } from '../core/errors.js';
import type {
  ConfirmQuestion,
  InteractiveIoHost,
  SecretHandOver,
  SecretHandOverRequest,
  SecretQuestion,
  SelectQuestion,
  TextQuestion,
} from '../core/io-host.js';
import { renderQrCode } from './render/qr-code.js';
import type { Style } from './render/style.js';
import { interruptNote } from './interrupt.js';
import { TerminalIoHost } from './terminal-io-host.js';

export interface WizardOptions {
  debug: boolean;
  /** --yes: every confirmation takes its default without asking. */
  yes: boolean;
  style: Style;
  totalSteps: number;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * The interactive IO host: questions with the @inquirer prompts (confirm, input, password, select), everything on stderr (stdout stays for the
 * result), secrets and QR codes on the terminal only. Ctrl-C at a prompt becomes exit 130.
 */
export class WizardIoHost extends TerminalIoHost implements InteractiveIoHost {
  private readonly out: NodeJS.WritableStream;
  private readonly context: { input?: NodeJS.ReadableStream; output: NodeJS.WritableStream };
  private stepNumber = 0;

  constructor(private readonly options: WizardOptions) {
    const out = options.output ?? process.stderr;
    super({ debug: options.debug, stderr: out });
    this.out = out;
    this.context = { ...(options.input ? { input: options.input } : {}), output: out };
  }

  private async ask<T>(prompt: () => Promise<T>): Promise<T> {
    try {
      return await prompt();
    } catch (error) {
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
        throw new BootstrapError('INTERRUPTED', `Interrupted. ${interruptNote()}`);
      }
      throw error;
    }
  }

  stepStarted(step: { id: string; title: string; why: string }): void {
    this.stepNumber += 1;
    const { style } = this.options;
    this.out.write(`\n${style.bold(`[${this.stepNumber}/${this.options.totalSteps}] ${step.title}`)} ${style.dim(`(${step.id})`)}\n`);
    this.out.write(`${style.dim(step.why)}\n`);
  }

  text(question: TextQuestion): Promise<string> {
    return this.ask(() =>
      input(
        {
          message: question.message,
          ...(question.default !== undefined ? { default: question.default } : {}),
          ...(question.validate ? { validate: question.validate } : {}),
        },
        this.context,
      ),
    );
  }

  async secret(question: SecretQuestion): Promise<string> {
    for (;;) {
      const first = await this.ask(() =>
        password({ message: question.message, mask: '*', ...(question.validate ? { validate: question.validate } : {}) }, this.context),
      );
      if (!question.confirmMessage) return first;
      const second = await this.ask(() => password({ message: question.confirmMessage!, mask: '*' }, this.context));
      if (first === second) return first;
      this.warn('The two entries differ: type it again.');
    }
  }

  async confirm(question: ConfirmQuestion): Promise<boolean> {
    if (this.options.yes) {
      this.out.write(`${question.message} ${this.options.style.dim(`${question.default ? 'yes' : 'no'} (--yes)`)}\n`);
      return question.default;
    }
    return this.ask(() => confirm({ message: question.message, default: question.default }, this.context));
  }

  select<T extends string>(question: SelectQuestion<T>): Promise<T> {
    return this.ask(() =>
      select<T>(
        {
          message: question.message,
          choices: question.choices.map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })),
          ...(question.default !== undefined ? { default: question.default } : {}),
        },
        this.context,
      ),
    );
  }

  showSecret(label: string, value: string): void {
    this.out.write(`${this.options.style.bold(label)}: ${value}\n`);
  }

  showQrCode(text: string): void {
    this.out.write(`${renderQrCode(text)}\n`);
  }

  /** Shown before it is set, so that nothing between setting and showing can lose it; then how it went. */
  async handOverSecret(request: SecretHandOverRequest): Promise<SecretHandOver> {
    const value = request.generate();
    this.showSecret(request.label, value);
    this.out.write(`${this.options.style.dim('(shown only this once: keep it in a password manager)')}\n`);
    return {
      value,
      settled: (outcome) => {
        if (outcome === 'not-set') this.warn(`The password above was not set (AWS refused it).`);
        if (outcome === 'unknown') this.warn(`The password above may not be the one AWS has: if signing in with it fails, reset it.`);
      },
    };
  }
}
