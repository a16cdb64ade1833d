import { describe, expect, it } from 'vitest';
import { createFrameLoop, type FrameHost } from './frameLoop';

/** A host whose frames are run by hand at chosen times. */
function manualHost() {
  let next = 1;
  const queued = new Map<number, (t: number) => void>();
  const host: FrameHost = {
    requestAnimationFrame: (cb) => {
      queued.set(next, cb);
      return next++;
    },
    cancelAnimationFrame: (id) => void queued.delete(id),
  };
  const frame = (t: number) => {
    const cbs = [...queued.values()];
    queued.clear();
    for (const cb of cbs) cb(t);
  };
  return { host, frame, pending: () => queued.size };
}

describe('frame loop', () => {
  it('passes the wall time between frames, the first frame after a start being 0', () => {
    const { host, frame } = manualHost();
    const gaps: number[] = [];
    const loop = createFrameLoop((ms) => (gaps.push(ms), true), host);
    loop.start();
    frame(1000);
    frame(1016);
    frame(1050);
    expect(gaps).toEqual([0, 16, 34]);
    loop.stop();
    loop.start();
    frame(5000);
    expect(gaps.at(-1)).toBe(0);
  });

  it('stops when the tick says so, and a second start does not double the frames', () => {
    const { host, frame, pending } = manualHost();
    let n = 0;
    const loop = createFrameLoop(() => ++n < 3, host);
    loop.start();
    loop.start();
    expect(pending()).toBe(1);
    frame(0);
    frame(16);
    frame(32);
    expect(n).toBe(3);
    expect(loop.running).toBe(false);
    expect(pending()).toBe(0);
  });
});
