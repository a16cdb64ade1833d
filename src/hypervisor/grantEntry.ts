/** Reading and writing single grant entries; shared by the granting and the mapping side. */
import { GTF } from './constants';
import { HypervisorUsageError } from './errors';
import type { Domain, GrantEntry, GrantTable } from './types';

/** The state of a reference nobody has touched: free, GTF_invalid, not pinned. */
export function blankEntry(ref: number): GrantEntry {
  return {
    ref,
    claimed: false,
    type: 'invalid',
    domid: 0,
    frame: 0,
    readonly: false,
    transferCommitted: false,
    transferCompleted: false,
    pinRead: 0,
    pinWrite: 0,
    mapper: null,
  };
}

/** Whether `ref` indexes the table at all (nr_grant_entries). */
export function isRefInRange(gt: GrantTable, ref: number): boolean {
  return Number.isInteger(ref) && ref >= 0 && ref < gt.nrEntries;
}

/** The entry for `ref` (a blank one if untouched). Out-of-range refs are a caller mistake. */
export function readEntry(gt: GrantTable, ref: number): GrantEntry {
  if (!isRefInRange(gt, ref)) throw new HypervisorUsageError(`grant ref ${ref} out of range`);
  return gt.entries.get(ref) ?? blankEntry(ref);
}

/** Stores an entry, dropping it from the map once it is indistinguishable from an unused one. */
export function writeEntry(gt: GrantTable, entry: GrantEntry): GrantEntry {
  const unused = !entry.claimed && entry.type === 'invalid' && !isPinned(entry);
  if (unused) gt.entries.delete(entry.ref);
  else gt.entries.set(entry.ref, entry);
  return entry;
}

/** True while some domain holds a mapping of this grant (GTF_reading or GTF_writing set). */
export function isPinned(entry: GrantEntry): boolean {
  return entry.pinRead + entry.pinWrite > 0;
}

/** The u16 `flags` word of the shared grant_entry_v1, as a guest would read it. */
export function grantFlags(entry: GrantEntry): number {
  switch (entry.type) {
    case 'invalid':
      return GTF.invalid;
    case 'permit_access':
      return (
        GTF.permit_access |
        (entry.readonly ? GTF.readonly : 0) |
        (isPinned(entry) ? GTF.reading : 0) |
        (entry.pinWrite > 0 ? GTF.writing : 0)
      );
    case 'accept_transfer':
      return (
        GTF.accept_transfer |
        (entry.transferCommitted ? GTF.transfer_committed : 0) |
        (entry.transferCompleted ? GTF.transfer_completed : 0)
      );
  }
}

/** Number of mappings other domains hold on this domain's grants (sum of pin counts). */
export function countForeignMappings(d: Domain): number {
  let n = 0;
  for (const e of d.gnttab.entries.values()) n += e.pinRead + e.pinWrite;
  return n;
}
