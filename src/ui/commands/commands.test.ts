import { describe, expect, it } from 'vitest';
import { createXenScope } from '../app/xenscope';
import type { FrameHost } from '../playback/frameLoop';
import { COMMANDS } from './commands';
import { commandForKey, CommandError, performCommand } from './registry';

const idleHost: FrameHost = { requestAnimationFrame: () => 1, cancelAnimationFrame: () => {} };
const opened = () => {
  const app = createXenScope(idleHost);
  app.open({ scenario: 'S1', profile: 'linux-modern', seed: 1 });
  return app;
};
const enabled = (app: ReturnType<typeof opened>, name: string) => {
  const c = COMMANDS.find((x) => x.name === name)!;
  return c.enabled === undefined || c.enabled(app);
};

describe('commands', () => {
  it('names are unique and every key runs one command', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const keys = COMMANDS.flatMap((c) => c.keys ?? []);
    expect(new Set(keys).size).toBe(keys.length);
    expect(commandForKey(COMMANDS, ' ')?.name).toBe('playback.toggle');
    expect(commandForKey(COMMANDS, 'Home')?.name).toBe('playback.start');
    expect(commandForKey(COMMANDS, '?')?.name).toBe('view.shortcuts');
  });

  it('playback commands move the cursor; step back is refused at step 0', () => {
    const app = opened();
    expect(() => performCommand(COMMANDS, app, 'playback.back')).toThrow(CommandError);
    performCommand(COMMANDS, app, 'playback.step');
    performCommand(COMMANDS, app, 'playback.seek', 20);
    expect(app.timeline.getState().cursor).toBe(20);
    performCommand(COMMANDS, app, 'playback.end');
    expect(app.timeline.getState().cursor).toBe(app.timeline.getState().length);
    expect(() => performCommand(COMMANDS, app, 'nope')).toThrow(/no command "nope"/);
  });

  it('actions are offered only where they make sense, and act at the cursor', () => {
    const app = opened();
    // at step 0 no guest kernel runs yet: nothing to attach to or detach
    expect(enabled(app, 'action.attach-disk')).toBe(false);
    expect(enabled(app, 'action.detach-disk')).toBe(false);
    app.seek(app.timeline.getState().length);
    expect(enabled(app, 'action.detach-disk')).toBe(true);
    expect(enabled(app, 'action.rx-release')).toBe(false);
    expect(enabled(app, 'action.kexec-jump-back')).toBe(false);
    const length = app.timeline.getState().length;
    performCommand(COMMANDS, app, 'action.kexec');
    expect(app.timeline.getState().length).toBeGreaterThan(length);
    expect(app.timeline.getState().world()!.trace[length]?.summary).toMatch(/kexec domid=1/);
  });

  it('a fault command gives its option changes as user actions', () => {
    const app = opened();
    app.seek(app.timeline.getState().length);
    const length = app.timeline.getState().length;
    performCommand(COMMANDS, app, 'fault.drop-state-watch');
    const summaries = app.timeline
      .getState()
      .world()!
      .trace.slice(length)
      .map((e) => e.summary);
    expect(summaries.filter((s) => s.startsWith('user: fault'))).toHaveLength(2);
  });
});
