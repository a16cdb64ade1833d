/** Loads the request scripts in scripts/ (JSON data files, run in file-name order). */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandScript, validateScript, type Request } from './script';

export const SCRIPTS_DIR = fileURLToPath(new URL('./scripts', import.meta.url));

export interface LoadedScript {
  name: string;
  requests: Request[];
}

/** Every script, or only those whose names are given (without `.json`). */
export function loadScripts(only: readonly string[] = []): LoadedScript[] {
  const files = readdirSync(SCRIPTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const names = files.map((f) => basename(f, '.json'));
  for (const n of only) if (!names.includes(n)) throw new Error(`no script '${n}' in ${SCRIPTS_DIR}`);
  return files
    .filter((_, i) => only.length === 0 || only.includes(names[i] as string))
    .map((f) => {
      const name = basename(f, '.json');
      const data: unknown = JSON.parse(readFileSync(join(SCRIPTS_DIR, f), 'utf8'));
      return { name, requests: expandScript(validateScript(data, name)) };
    });
}
