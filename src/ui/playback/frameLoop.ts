/**
 * The one frame loop (CONVENTIONS.md 9): requestAnimationFrame in this module only. It calls `tick`
 * with the milliseconds since the previous frame while `tick` returns true, and stops otherwise
 * (paused, or at the end of the trace); `start` after a stop begins again with a zero gap.
 */
export interface FrameLoop {
  start: () => void;
  stop: () => void;
  readonly running: boolean;
}

export interface FrameHost {
  requestAnimationFrame: (cb: (t: number) => void) => number;
  cancelAnimationFrame: (id: number) => void;
}

export function createFrameLoop(tick: (wallMs: number) => boolean, host: FrameHost = window): FrameLoop {
  let id: number | null = null;
  let last: number | null = null;
  const frame = (t: number) => {
    const gap = last === null ? 0 : t - last;
    last = t;
    if (tick(gap)) id = host.requestAnimationFrame(frame);
    else {
      id = null;
      last = null;
    }
  };
  return {
    start() {
      if (id === null) id = host.requestAnimationFrame(frame);
    },
    stop() {
      if (id !== null) host.cancelAnimationFrame(id);
      id = null;
      last = null;
    },
    get running() {
      return id !== null;
    },
  };
}
