import { describe, expect, it } from 'vitest';
import { citationProblems, isSpecSource, mergeSpecSources, parseSpecSource, SPEC_FILES } from './specSources';

const SPEC: Record<string, string> = {
  'xenbus.md':
    '# X\n## 4. vbd handshake\n### 4.1 [modern] normal connect\n## 7. Reactions\n### 7.1 blkback\n',
  'scenarios.md': '# S\n## S1 — Normal vbd connect\n## S11 — Missed\n',
};
const read = (file: string) => SPEC[file] ?? null;

describe('spec sources', () => {
  it('parse files and their refs', () => {
    expect(parseSpecSource('xenbus.md §6.1, §7.1; scenarios.md S3')).toEqual([
      { file: 'xenbus.md', refs: ['§6.1', '§7.1'] },
      { file: 'scenarios.md', refs: ['S3'] },
    ]);
    expect(parseSpecSource('scenarios.md')).toEqual([{ file: 'scenarios.md', refs: [] }]);
  });

  it('name only the spec documents', () => {
    expect(SPEC_FILES).toContain('kexec-handover.md');
    expect(isSpecSource('xenbus.md §3.7')).toBe(true);
    expect(isSpecSource('xenbus.txt §3.7')).toBe(false);
    expect(isSpecSource('')).toBe(false);
  });

  it('merge per file without repeats', () => {
    expect(mergeSpecSources(['kexec-handover.md §7.1', 'kexec-handover.md §7.1, §7.3', 'xenbus.md §1'])).toBe(
      'kexec-handover.md §7.1, §7.3; xenbus.md §1',
    );
  });

  it('point at sections that do not exist', () => {
    expect(citationProblems('xenbus.md §4.1, §7; scenarios.md S11', read)).toEqual([]);
    expect(citationProblems('xenbus.md §4.2', read)).toEqual([
      '"xenbus.md §4.2": xenbus.md has no section §4.2',
    ]);
    expect(citationProblems('scenarios.md S1', read)).toEqual([]);
    expect(citationProblems('scenarios.md S12', read)).toHaveLength(1);
    expect(citationProblems('nowhere.md §1', read)).toHaveLength(2);
  });
});
