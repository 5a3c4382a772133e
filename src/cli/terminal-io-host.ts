import type { IoHost } from '../core/io-host.js';

export interface TerminalIoHostOptions {
  debug: boolean;
  stderr?: NodeJS.WritableStream;
}

/** The IO host of the command line: progress, warnings and debug lines go to stderr; stdout is for results. */
export class TerminalIoHost implements IoHost {
  readonly debugEnabled: boolean;
  private readonly stderr: NodeJS.WritableStream;

  constructor(options: TerminalIoHostOptions) {
    this.debugEnabled = options.debug;
    this.stderr = options.stderr ?? process.stderr;
  }

  progress(message: string): void {
    this.stderr.write(`${message}\n`);
  }

  /** Plain information for the person (stderr). */
  info(message: string): void {
    this.stderr.write(`${message}\n`);
  }

  warn(message: string): void {
    this.stderr.write(`warning: ${message}\n`);
  }

  debug(message: string): void {
    if (this.debugEnabled) this.stderr.write(`[debug] ${message}\n`);
  }
}
