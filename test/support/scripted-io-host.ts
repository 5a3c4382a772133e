import type {
  ConfirmQuestion,
  InteractiveIoHost,
  SecretHandOver,
  SecretHandOverRequest,
  SecretOutcome,
  SecretQuestion,
  SelectQuestion,
  TextQuestion,
} from '../../src/core/io-host.js';

type Answer = string | boolean | ((question: { id: string; message: string }) => string | boolean);

/**
 * Answers init's questions by id, like a person would, and records everything the core showed.
 * An array answers the same question several times in order (e.g. a taken alias, then a free one).
 * A question without a scripted answer fails the test, unless `acceptDefaults` lets confirmations take
 * their default (as `--yes` does).
 */
export class ScriptedIoHost implements InteractiveIoHost {
  readonly log: { kind: string; id?: string; text: string }[] = [];
  readonly secretsShown: { label: string; value: string }[] = [];
  readonly qrCodes: string[] = [];
  readonly asked: string[] = [];
  readonly validationErrors: { id: string; value: string; error: string }[] = [];
  private readonly answers: Map<string, Answer[]>;

  constructor(
    answers: Record<string, Answer | Answer[]>,
    private readonly options: { acceptDefaults?: boolean } = {},
  ) {
    this.answers = new Map(Object.entries(answers).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  }

  private next(question: { id: string; message: string }): Answer | undefined {
    this.asked.push(question.id);
    const queue = this.answers.get(question.id);
    if (!queue || queue.length === 0) return undefined;
    const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
    return typeof answer === 'function' ? answer(question) : answer;
  }

  private answerText(question: TextQuestion | SecretQuestion, fallback?: string): string {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const raw = this.next(question);
      const value = raw === undefined ? fallback : String(raw);
      if (value === undefined) throw new Error(`ScriptedIoHost: no answer for "${question.id}" (${question.message})`);
      const verdict = question.validate?.(value) ?? true;
      if (verdict === true) return value;
      this.validationErrors.push({ id: question.id, value, error: verdict });
      if (raw === undefined) break;
    }
    throw new Error(`ScriptedIoHost: every answer to "${question.id}" was rejected: ${JSON.stringify(this.validationErrors)}`);
  }

  progress(text: string): void {
    this.log.push({ kind: 'progress', text });
  }
  warn(text: string): void {
    this.log.push({ kind: 'warn', text });
  }
  debug(text: string): void {
    this.log.push({ kind: 'debug', text });
  }
  info(text: string): void {
    this.log.push({ kind: 'info', text });
  }
  stepStarted(step: { id: string; title: string; why: string }): void {
    this.log.push({ kind: 'step', id: step.id, text: `${step.title}: ${step.why}` });
  }
  async text(question: TextQuestion): Promise<string> {
    return this.answerText(question, question.default);
  }
  async secret(question: SecretQuestion): Promise<string> {
    return this.answerText(question);
  }
  async confirm(question: ConfirmQuestion): Promise<boolean> {
    const answer = this.next(question);
    if (answer === undefined) {
      if (this.options.acceptDefaults) return question.default;
      throw new Error(`ScriptedIoHost: no answer for confirmation "${question.id}" (${question.message})`);
    }
    return answer === true || answer === 'yes';
  }
  async select<T extends string>(question: SelectQuestion<T>): Promise<T> {
    const answer = this.next(question);
    const value = (answer === undefined ? question.default : String(answer)) as T | undefined;
    if (value === undefined || !question.choices.some((c) => c.value === value)) {
      throw new Error(`ScriptedIoHost: no valid answer for "${question.id}": ${String(value)}`);
    }
    return value;
  }
  showSecret(label: string, value: string): void {
    this.secretsShown.push({ label, value });
    this.log.push({ kind: 'secret', text: label });
  }
  /** Every secret handed over before it was set, and what the step said became of it. */
  readonly handOvers: { label: string; value: string; outcome?: SecretOutcome }[] = [];
  async handOverSecret(request: SecretHandOverRequest): Promise<SecretHandOver> {
    const entry: { label: string; value: string; outcome?: SecretOutcome } = { label: request.label, value: request.generate() };
    this.handOvers.push(entry);
    this.showSecret(request.label, entry.value);
    return {
      value: entry.value,
      settled: (outcome) => {
        entry.outcome = outcome;
      },
    };
  }
  showQrCode(text: string): void {
    this.qrCodes.push(text);
    this.log.push({ kind: 'qr', text: '(QR code)' });
  }
  messages(kind: string): string[] {
    return this.log.filter((l) => l.kind === kind).map((l) => l.text);
  }
}
