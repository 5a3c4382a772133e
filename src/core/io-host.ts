/**
 * The only way the core talks to a person. Steps and controls never print or prompt: the CLI passes a
 * terminal host (a wizard on a TTY), a config file answers for a script, tests pass a recording host.
 *
 * Every question carries a stable `id` (`<step-id>.<name>`, e.g. `account-alias.alias`): a non-interactive
 * host answers by id, and tests script answers by id.
 */
export interface IoHost {
  /** A short progress note ("Reading account state"): stderr on a terminal, never stdout. */
  progress(message: string): void;
  /** A warning the user should read even when not debugging. */
  warn(message: string): void;
  /** Diagnostic detail, shown only under --debug. Must never carry a secret. */
  debug(message: string): void;
}

export interface TextQuestion {
  id: string;
  message: string;
  default?: string;
  /** Returns an error message, or true when the value is acceptable. Checked before any AWS call. */
  validate?: (value: string) => string | true;
}

export interface SecretQuestion {
  id: string;
  message: string;
  /** Asks a second time and insists the two match (for a new password). */
  confirmMessage?: string;
  validate?: (value: string) => string | true;
}

export interface ConfirmQuestion {
  id: string;
  message: string;
  default: boolean;
}

export interface SelectQuestion<T extends string> {
  id: string;
  message: string;
  choices: readonly { value: T; name: string; description?: string }[];
  default?: T;
}

/** What `init` needs besides output: questions, explanations and the few things shown only once. */
export interface InteractiveIoHost extends IoHost {
  /** A step begins: its title and, for someone on their first day with AWS, what it is and why. */
  stepStarted(step: { id: string; title: string; why: string }): void;
  /** Plain information for the person (current state, what will change, links). */
  info(message: string): void;
  text(question: TextQuestion): Promise<string>;
  secret(question: SecretQuestion): Promise<string>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
  select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  /**
   * Shows a secret once, on the terminal only (a generated password, an MFA secret key). Never logged,
   * never part of JSON output.
   */
  showSecret(label: string, value: string): void;
  /** Shows a QR code on the terminal only (the MFA enrolment URI, which contains the seed). */
  showQrCode(text: string): void;
  /**
   * A generated secret about to be set (a console password), handed over BEFORE the call that sets it, so
   * that a crash between setting it and handing it over cannot lose it. The host may answer with a secret it
   * kept from an interrupted earlier run instead (the config host's pending password file): the step sets
   * whatever `value` comes back, and then reports how it went with `settled`.
   */
  handOverSecret(request: SecretHandOverRequest): Promise<SecretHandOver>;
  /**
   * Optional: the answer the text question `id` will get, when it is known without asking anyone (a config
   * file's value), else undefined. Only for reading ahead: the step still asks, and validates, as always.
   */
  knownAnswer?(id: string): string | undefined;
}

export interface SecretHandOverRequest {
  /** What the secret is, e.g. "Console password for alice". */
  label: string;
  generate(): string;
  /** A kept secret that fails this (the password policy changed) is not used. */
  validate(value: string): string | true;
}

/**
 * `set`: AWS accepted it. `not-set`: AWS refused it, nothing was set. `unknown`: AWS says a secret exists
 * already, which may be this one (an earlier attempt of the same call) or someone else's.
 */
export type SecretOutcome = 'set' | 'not-set' | 'unknown';

export interface SecretHandOver {
  readonly value: string;
  settled(outcome: SecretOutcome): void;
}

/** A host that drops everything: for library callers who want no output. */
export const silentIoHost: IoHost = {
  progress() {},
  warn() {},
  debug() {},
};
