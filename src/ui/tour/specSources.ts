/**
 * The spec documents a caption may cite, and the citation format: `<file>.md <ref>, <ref>` groups
 * joined by `; `, where a ref is a section (`§4.1`) or a scenario (`S11`, in scenarios.md).
 * Example: 'xenbus.md §6.1, §7.1; scenarios.md S3'.
 */

export const SPEC_FILES = [
  'README.md',
  'xenstore.md',
  'xenbus.md',
  'kexec-handover.md',
  'rings-and-evtchn.md',
  'scenarios.md',
] as const;

export type SpecFile = (typeof SPEC_FILES)[number];

export interface SpecCitation {
  file: string;
  /** '§4.1', 'S11'; empty when the whole file is meant */
  refs: string[];
}

/** The citations of a source string, in order. Pure; no check that the files exist. */
export function parseSpecSource(source: string): SpecCitation[] {
  return source
    .split(';')
    .map((group) => group.trim())
    .filter((group) => group !== '')
    .map((group) => {
      const [file = '', ...rest] = group.split(/\s+/);
      const refs = rest
        .join(' ')
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '');
      return { file, refs };
    });
}

/** True when every citation of `source` names one of SPEC_FILES (and there is at least one). */
export function isSpecSource(source: string): boolean {
  const cites = parseSpecSource(source);
  return cites.length > 0 && cites.every((c) => (SPEC_FILES as readonly string[]).includes(c.file));
}

/** The citations written back as a source string. */
export function formatSpecSource(cites: readonly SpecCitation[]): string {
  return cites.map((c) => (c.refs.length === 0 ? c.file : `${c.file} ${c.refs.join(', ')}`)).join('; ');
}

/** Several sources as one: files in order of first mention, each file's refs merged without repeats. */
export function mergeSpecSources(sources: readonly string[]): string {
  const byFile = new Map<string, string[]>();
  for (const source of sources)
    for (const c of parseSpecSource(source)) {
      const refs = byFile.get(c.file) ?? [];
      for (const r of c.refs) if (!refs.includes(r)) refs.push(r);
      byFile.set(c.file, refs);
    }
  return formatSpecSource([...byFile].map(([file, refs]) => ({ file, refs })));
}

/** The heading a ref names in its file: '§4.1' → '### 4.1 …' (or '## 4. …' for '§4'), 'S11' → '## S11 …'. */
function headingPattern(ref: string): RegExp | null {
  const section = /^§(\d+(?:\.\d+)*)$/.exec(ref);
  if (section) {
    const n = section[1]!.replace(/\./g, '\\.');
    return new RegExp(`^#{2,4} ${n}(?:\\.)?\\s`, 'm');
  }
  const scenario = /^(S\d+[a-z]?)$/.exec(ref);
  return scenario ? new RegExp(`^## ${scenario[1]}\\s`, 'm') : null;
}

/**
 * What is wrong with a source, given the spec texts (`read(file)` → the file's text, or null when it
 * does not exist): unknown files, refs that name no heading. Empty when it is fine.
 */
export function citationProblems(source: string, read: (file: string) => string | null): string[] {
  const problems: string[] = [];
  const cites = parseSpecSource(source);
  if (cites.length === 0) problems.push(`"${source}": no citation`);
  for (const c of cites) {
    if (!(SPEC_FILES as readonly string[]).includes(c.file))
      problems.push(`"${source}": ${c.file} is not a spec file`);
    const text = read(c.file);
    if (text === null) {
      problems.push(`"${source}": ${c.file} does not exist`);
      continue;
    }
    for (const r of c.refs) {
      const re = headingPattern(r);
      if (re === null || !re.test(text)) problems.push(`"${source}": ${c.file} has no section ${r}`);
    }
  }
  return problems;
}
