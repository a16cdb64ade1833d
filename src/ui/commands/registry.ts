/**
 * User intents as typed commands (CONVENTIONS.md 11): the toolbar, keyboard shortcuts, the context
 * menus and the test API all call the same `perform`. A command names itself (`playback.toggle`),
 * says what it does in words, and may have a key and a condition.
 */
import type { XenScope } from '../app/xenscope';

export type CommandGroup = 'playback' | 'action' | 'fault' | 'view';

export interface Command {
  name: string;
  label: string;
  group: CommandGroup;
  /** `KeyboardEvent.key` values that run it */
  keys?: readonly string[];
  /** how the key is shown in the shortcuts overlay */
  keyLabel?: string;
  /** a longer explanation, shown as the button's title */
  hint?: string;
  enabled?: (app: XenScope) => boolean;
  perform: (app: XenScope, arg?: unknown) => void;
}

export class CommandError extends Error {}

/** Runs a command by name, if it is enabled; unknown names and disabled commands are errors. */
export function performCommand(
  commands: readonly Command[],
  app: XenScope,
  name: string,
  arg?: unknown,
): void {
  const c = commands.find((x) => x.name === name);
  if (c === undefined) throw new CommandError(`no command "${name}"`);
  if (c.enabled !== undefined && !c.enabled(app)) throw new CommandError(`"${name}" is not available now`);
  c.perform(app, arg);
}

/** The command a key press runs, if any. */
export function commandForKey(commands: readonly Command[], key: string): Command | undefined {
  return commands.find((c) => c.keys?.includes(key));
}
