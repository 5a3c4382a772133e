/**
 * What an interrupted run says about itself. Commands that write register a note (the journal of what was
 * done); the Ctrl-C handler and the error handler print it.
 */
let note: (() => string) | undefined;

export function setInterruptNote(provider: (() => string) | undefined): void {
  note = provider;
}

export function interruptNote(): string {
  return note?.() ?? 'Nothing was changed.';
}
