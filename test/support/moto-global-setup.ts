import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { findMotoPython } from './moto-python.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Python interpreter that can import moto, or '' when moto is missing (integration tests skip). */
    motoPython: string;
  }
}

/**
 * Integration tests need moto. Without it they are skipped with a loud message, except under CI=true,
 * where a missing moto fails the run: CI must never pass by testing nothing.
 */
export default function setup(project: TestProject): void {
  const python = findMotoPython();
  if (!python) {
    const message =
      'moto is not installed: the integration tests (the real CLI against an AWS emulator) cannot run. ' +
      "Install it with: pip install 'moto[server]'";
    if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
    process.stderr.write(`\n${'!'.repeat(100)}\n!! SKIPPING INTEGRATION TESTS: ${message}\n${'!'.repeat(100)}\n\n`);
  }
  project.provide('motoPython', python ?? '');
}
