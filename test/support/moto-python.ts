import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function canImportMoto(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import moto.server, moto.budgets, moto.iam'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** MOTO_PYTHON, else python3, else the interpreter named by moto_server's shebang; undefined without moto. */
export function findMotoPython(): string | undefined {
  const candidates = [process.env.MOTO_PYTHON, 'python3'];
  try {
    const script = execFileSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).trim();
    const shebang = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
    if (shebang.startsWith('#!') && shebang.includes('python')) candidates.push(shebang.slice(2).trim());
  } catch {
    // no moto_server on PATH
  }
  return candidates.find((c): c is string => typeof c === 'string' && c !== '' && canImportMoto(c));
}
