/**
 * The world's options: scenario parameters, variants and faults, by name, with the values each may
 * take. Scenarios set them, imported sessions are checked against them, and the `fault` user action
 * changes them while the world runs.
 */
export type OptionValue = string | number | boolean;
export type WorldOptions = Readonly<Record<string, OptionValue>>;

export type OptionSpec =
  | { type: 'boolean'; doc: string }
  | { type: 'integer'; min: number; max: number; doc: string }
  | { type: 'enum'; values: readonly string[]; doc: string }
  | { type: 'text'; maxLength: number; doc: string };

export const WORLD_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  backendMaxOrder: { type: 'integer', min: 0, max: 4, doc: 'blkback max-ring-page-order' },
  frontendMaxOrder: { type: 'integer', min: 0, max: 4, doc: 'blkfront max_ring_page_order' },
  frontendIgnoresMax: {
    type: 'boolean',
    doc: "fault: blkfront asks for its own order, ignoring the backend's max",
  },
  oldBackend: { type: 'boolean', doc: 'blkback without max-ring-page-order' },
  blkbackFatalAfterConnect: {
    type: 'boolean',
    doc: 'fault: blkback calls xenbus_dev_fatal right after switching to Connected',
  },
  badRingRef: { type: 'boolean', doc: 'fault: blkfront publishes a ring-ref it never granted' },
  rxTarget: { type: 'integer', min: 1, max: 256, doc: 'netfront rx buffers posted at connect' },
  hotplugDelayMs: { type: 'integer', min: 0, max: 60000, doc: 'block hotplug script run time' },
  vifHotplugMs: { type: 'integer', min: 0, max: 60000, doc: 'vif-bridge online run time' },
  conflictPolicy: {
    type: 'enum',
    values: ['read-set', 'global'],
    doc: "xenstored's transaction conflict rule (default: the profile's)",
  },
  olderBlkfront: {
    type: 'boolean',
    doc: 'blkfront refuses to close while the disk is open (Linux ≤ ~5.1x)',
  },
  watchFault: {
    type: 'enum',
    values: ['none', 'drop', 'delay'],
    doc: 'fault: the next watch event on a path containing watchFaultPath is lost, or held back',
  },
  watchFaultPath: { type: 'text', maxLength: 256, doc: 'the path fragment the watch fault applies to' },
  watchFaultDelayMs: { type: 'integer', min: 1, max: 60000, doc: 'how long a delayed watch event is held' },
  softReset: {
    type: 'boolean',
    doc: 'the toolstack acts on SHUTDOWN_soft_reset: devices destroyed and re-created around a kexec',
  },
  noResetWatchesFeature: {
    type: 'boolean',
    doc: 'the toolstack does not write control/platform-feature-xs_reset_watches',
  },
  jumpPolicy: {
    type: 'enum',
    values: ['pm-freeze', 'fail-early', 'unplug-replug'],
    doc: 'kexec jump: PM freeze/restore (Linux today), refuse early, or detach and re-attach (Biederman a/b)',
  },
  vifScriptFails: { type: 'boolean', doc: 'fault: vif-bridge writes hotplug-status=error' },
  forceEagain: {
    type: 'boolean',
    doc: 'fault: the next transaction commit fails with EAGAIN, as if it conflicted (then clears itself)',
  },
  backendInitialisedEarly: {
    type: 'boolean',
    doc: 'fault: a buggy backend switches to Initialised where it should publish InitWait',
  },
  unmapFault: {
    type: 'boolean',
    doc: 'fault: the next ring unmap (GNTTABOP_unmap_grant_ref) fails with GNTST_general_error; the page stays mapped (then clears itself)',
  },
};

/** Checks one option; the message names the option and what it accepts. */
export function checkOption(name: string, value: unknown): string | null {
  const spec = WORLD_OPTIONS[name];
  if (!spec) return `unknown option "${name}" (known: ${Object.keys(WORLD_OPTIONS).join(', ')})`;
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${name} must be true or false`;
    case 'integer':
      return Number.isInteger(value) && (value as number) >= spec.min && (value as number) <= spec.max
        ? null
        : `${name} must be an integer ${spec.min}…${spec.max}`;
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? null
        : `${name} must be one of ${spec.values.join(', ')}`;
    case 'text':
      return typeof value === 'string' && value.length <= spec.maxLength
        ? null
        : `${name} must be text of at most ${spec.maxLength} characters`;
  }
}
