declare const __AWS_BOOTSTRAP_VERSION__: string | undefined;

/** Injected by the build (scripts/build.mjs) and by vitest's `define`; "0.0.0-dev" otherwise. */
export const VERSION: string =
  typeof __AWS_BOOTSTRAP_VERSION__ === 'string' ? __AWS_BOOTSTRAP_VERSION__ : '0.0.0-dev';
