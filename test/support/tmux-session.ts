import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
let counter = 0;

/** Single-quotes a word for the shell tmux starts the command with. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A program in a real pseudo-terminal (tmux, on a private socket): type like a person, read the screen.
 * When the program ends, the pane prints `[exit:N]` and stays open so its last screen can be read.
 */
export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly name: string,
  ) {}

  static async start(argv: string[], env: NodeJS.ProcessEnv, size = { width: 120, height: 60 }): Promise<TmuxSession> {
    counter += 1;
    const socket = `aws-bootstrap-test-${process.pid}-${counter}`;
    const name = 'wizard';
    const exports = Object.entries(env)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(e[0]))
      .map(([k, v]) => `${k}=${shellQuote(v)}`);
    const command = `env -i ${exports.join(' ')} ${argv.map(shellQuote).join(' ')}; echo "[exit:$?]"; sleep 3600`;
    await run('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', String(size.width), '-y', String(size.height), command]);
    return new TmuxSession(socket, name);
  }

  /** The whole screen plus scrollback, with wrapped lines joined. */
  async screen(): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.socket, 'capture-pane', '-p', '-J', '-S', '-3000', '-t', this.name]);
    return stdout;
  }

  /** Waits until the screen matches; returns the screen. Fails with the screen in the message. */
  async waitFor(pattern: RegExp | string, timeoutMs = 20_000, since = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      const tail = screen.slice(since);
      if (typeof pattern === 'string' ? tail.includes(pattern) : pattern.test(tail)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Timed out waiting for ${String(pattern)}. Screen:\n${screen}`);
  }

  async type(text: string): Promise<void> {
    await run('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, '-l', text]);
  }

  /** tmux key names: Enter, Down, Up, C-c, BSpace... */
  async press(...keys: string[]): Promise<void> {
    await run('tmux', ['-L', this.socket, 'send-keys', '-t', this.name, ...keys]);
  }

  /** The exit code once the program has ended. */
  async exitCode(timeoutMs = 30_000): Promise<number> {
    const screen = await this.waitFor(/\[exit:(\d+)\]/, timeoutMs);
    return Number(/\[exit:(\d+)\]/.exec(screen)![1]);
  }

  /** The pid of the program itself (the pane runs a shell, which runs `env`, which execs the program). */
  async programPid(): Promise<number> {
    const { stdout: pane } = await run('tmux', ['-L', this.socket, 'list-panes', '-t', this.name, '-F', '#{pane_pid}']);
    const { stdout } = await run('pgrep', ['-P', pane.trim()]);
    return Number(stdout.trim().split('\n')[0]);
  }

  async kill(): Promise<void> {
    await run('tmux', ['-L', this.socket, 'kill-server']).catch(() => undefined);
  }
}
