// Small helpers shared by the test, e2e and bench scripts.
import { spawnSync } from 'node:child_process';

/** Runs a command with inherited stdio; returns its exit status (1 when it could not start). */
export function run(command, args, options = {}) {
  const r = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (r.error) {
    console.error(`could not run ${command}: ${r.error.message}`);
    return 1;
  }
  return r.status ?? 1;
}

export const npx = (args, options) => run('npx', ['--no-install', ...args], options);
