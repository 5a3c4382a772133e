/** The commands of the CLI, by name: the launcher keeps one code cache per command (src/cli.ts). */
export const COMMAND_NAMES = ['init', 'plan', 'check', 'schema', 'permissions'] as const;
