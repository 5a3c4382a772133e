import type { IoHost } from '../../src/core/io-host.js';

/** An IO host for tests: remembers every message the core sent, in order. */
export class RecordingIoHost implements IoHost {
  readonly messages: { kind: 'progress' | 'warn' | 'debug'; text: string }[] = [];
  progress(text: string): void {
    this.messages.push({ kind: 'progress', text });
  }
  warn(text: string): void {
    this.messages.push({ kind: 'warn', text });
  }
  debug(text: string): void {
    this.messages.push({ kind: 'debug', text });
  }
}
