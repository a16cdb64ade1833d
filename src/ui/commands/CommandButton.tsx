import type { ReactNode } from 'react';
import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { COMMANDS } from './commands';
import { performCommand } from './registry';

interface CommandButtonProps {
  name: string;
  /** the visible content, the command's label by default */
  children?: ReactNode;
  className?: string;
}

/** A button that runs one command; disabled while the command is not available. */
export function CommandButton({ name, children, className }: CommandButtonProps) {
  const app = useXenScope();
  // what a command's condition reads: the world's position and the target domain
  useTimeline((s) => s.revision);
  useView((s) => s.targetDomid);
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) throw new Error(`CommandButton: no command "${name}"`);
  const enabled = command.enabled === undefined || command.enabled(app);
  const title = [
    command.hint ?? (children === undefined ? undefined : command.label),
    command.keyLabel && `(${command.keyLabel})`,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type="button"
      className={className}
      data-testid={`command.${name}`}
      disabled={!enabled}
      title={title === '' ? undefined : title}
      aria-label={children === undefined ? undefined : command.label}
      onClick={() => performCommand(COMMANDS, app, name)}
    >
      {children ?? command.label}
    </button>
  );
}
