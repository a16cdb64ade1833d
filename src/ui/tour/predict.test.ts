import { describe, expect, it } from 'vitest';
import { blkfrontMachine } from '../../drivers/blkfrontMachine';
import { machineGraph } from '../layout/machineGraph';
import { choicesFrom, predictQuestion, scoreAnswer, TOUR_MACHINES } from './predict';
import { entry, traceOf } from './tourTraces.test-support';

const FE = 'dom1.K1|device/vbd/51712';
const BE = 'dom0.kernel|backend/vbd/1/51712';
const s1 = () => traceOf('S1', 'linux-modern');
const seqOf = (device: string, to: string) =>
  s1().find((e) => e.effects.some((f) => f.k === 'transition' && f.device === device && f.to === to))!.seq;

describe('predict, then reveal', () => {
  it("asks what blkfront does once the backend is in InitWait: the machine's ways out of Initialising", () => {
    const cursor = seqOf(BE, 'InitWait') + 1;
    const q = predictQuestion(s1(), cursor, FE, TOUR_MACHINES, { profile: 'linux-modern' })!;
    expect(q.state).toBe('Initialising');
    const outEdges = machineGraph(blkfrontMachine)
      .edges.filter((e) => e.from === 'Initialising')
      .map((e) => e.to);
    expect(q.choices).toEqual(outEdges);
    expect(q.choices.length).toBeGreaterThan(1);
    expect(q.answer).toBe('Initialised');
    expect(q.answerStep).toBe(seqOf(FE, 'Initialised'));
    expect(q.explanation.text).toMatch(/talk_to_blkback/);
    expect(q.prompt).toMatch(/blkfront in dom1\.K1 is Initialising/);
  });

  it('scores an answer and says when to reveal it', () => {
    const q = predictQuestion(s1(), seqOf(BE, 'InitWait') + 1, FE)!;
    expect(scoreAnswer(q, 'Initialised')).toMatchObject({ correct: true, answer: 'Initialised' });
    const wrong = scoreAnswer(q, 'Connected');
    expect(wrong.correct).toBe(false);
    expect(wrong.revealAt).toBe(q.answerStep + 1);
    expect(wrong.source).toBe(q.explanation.source);
  });

  it('asks nothing when the device makes no further transition or does not exist yet', () => {
    expect(predictQuestion(s1(), s1().length, FE)).toBeNull();
    expect(predictQuestion(s1(), 0, FE)).toBeNull();
    expect(predictQuestion(s1(), 10, 'dom1.K1|device/pci/0')).toBeNull();
  });

  it('asks nothing when the next state is not among the choices, or the device is freed first', () => {
    const created = entry(0, [{ k: 'device', device: FE, change: 'created' }]);
    expect(choicesFrom(blkfrontMachine, 'Initialising')).not.toContain('InitWait');
    const impossible = [
      created,
      entry(1, [{ k: 'transition', device: FE, from: 'Initialising', to: 'InitWait' }]),
    ];
    expect(predictQuestion(impossible, 1, FE)).toBeNull();
    const freed = [
      created,
      entry(1, [{ k: 'device', device: FE, change: 'freed' }]),
      entry(2, [{ k: 'transition', device: FE, from: 'Initialising', to: 'Initialised' }]),
    ];
    expect(predictQuestion(freed, 1, FE)).toBeNull();
    expect(
      predictQuestion(
        freed.filter((e) => e.seq !== 1).map((e, i) => ({ ...e, seq: i })),
        1,
        FE,
      )?.answer,
    ).toBe('Initialised');
  });

  it("asks about a kernel's kexec path too", () => {
    const s7 = traceOf('S7', 'kexec-patch-2006');
    const step = s7.find((e) => e.effects.some((f) => f.k === 'transition' && f.to === 'shuttingDown'))!;
    // before the step, the kexec path is `running`; in that one step it goes loaded, then shuttingDown
    const q = predictQuestion(s7, step.seq, 'dom1.K1|kexec')!;
    expect(q).toMatchObject({ state: 'running', answer: 'loaded', choices: ['loaded'] });
  });
});
