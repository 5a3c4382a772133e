/**
 * The only way the core talks to a person. Steps and controls never print or prompt:
 * the CLI passes a terminal host, tests pass a recording one. Later issues add the
 * questions (confirm, ask, choose) here; their answers come from a wizard, a config file or a test.
 */
export interface IoHost {
  /** A short progress note ("Reading account state"): stderr on a terminal, never stdout. */
  progress(message: string): void;
  /** A warning the user should read even when not debugging. */
  warn(message: string): void;
  /** Diagnostic detail, shown only under --debug. Must never carry a secret. */
  debug(message: string): void;
}

/** A host that drops everything: for library callers who want no output. */
export const silentIoHost: IoHost = {
  progress() {},
  warn() {},
  debug() {},
};
