import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

const where = (page: Page) => page.getByTestId('tour.where');

async function startBuiltinTour(page: Page): Promise<void> {
  await page.locator('[data-testid="tour.menu"] summary').click();
  await page.getByTestId('tour.builtin').click();
  await expect(where(page)).toHaveText('Introduction');
}

/** S1 open, played at 64x, its guided tour at the introduction. */
async function openS1Tour(page: Page): Promise<AppPage> {
  const app = new AppPage(page);
  await app.openScenario('S1', 'linux-modern');
  await page.getByTestId('playback.speed').selectOption('64');
  await startBuiltinTour(page);
  return app;
}

/** Continue, then wait until the stop is reached (the timeline plays there at 64x). */
async function continueToNextStop(page: Page): Promise<string> {
  await page.getByTestId('tour.continue').click();
  await expect
    .poll(() => page.evaluate(() => window.__xenscope!.state().playing), { timeout: 20_000 })
    .toBe(false);
  await expect(page.getByTestId('tour.caption').or(page.getByTestId('tour.predict')).first()).toBeVisible();
  await expect(page.getByTestId('tour.bar').getByText('Playing on')).toHaveCount(0);
  return (await where(page).textContent()) ?? '';
}

test.describe('guided tours', () => {
  test('the built-in tour of S1 plays through with its gates; Back returns to the previous stop', async ({
    page,
  }) => {
    const app = await openS1Tour(page);
    await expect(page.getByTestId('tour.caption')).toContainText('InitWait');
    await expect(page.getByTestId('tour.back')).toBeDisabled();

    const steps: number[] = [];
    let predicts = 0;
    for (let i = 0; i < 40; i++) {
      const text = await continueToNextStop(page);
      if (text === 'End of the tour') break;
      const m = /Stop (\d+) of (\d+) · step (\d+)/.exec(text);
      expect(m, text).not.toBeNull();
      const step = Number(m![3]);
      // the gate: the timeline stopped on the stop's step
      await expect.poll(async () => (await app.state()).cursor).toBe(step);
      expect((await app.state()).playing).toBe(false);
      steps.push(step);
      if ((await page.getByTestId('tour.predict').count()) > 0) {
        predicts++;
        // Continue is held until the learner answers
        await expect(page.getByTestId('tour.continue')).toBeDisabled();
        await page.getByTestId('tour.predict').getByRole('button').first().click();
        await expect(page.getByTestId('tour.reveal')).toBeVisible();
        await expect(page.getByTestId('tour.continue')).toBeEnabled();
        // the reveal plays on to the step that shows the answer
        await expect.poll(async () => (await app.state()).playing).toBe(false);
      }
    }
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(predicts).toBeGreaterThanOrEqual(1);
    // blkfront reaching Connected is one of the stops, captioned from the spec
    expect(await app.state()).toMatchObject({ devices: { 'dom1.K1|device/vbd/51712': 'Connected' } });

    // Back: to the last stop's step, at once
    await page.getByTestId('tour.back').click();
    await expect(where(page)).toContainText(`Stop ${steps.length} of ${steps.length}`);
    await expect.poll(async () => (await app.state()).cursor).toBe(steps.at(-1));
    await page.getByTestId('tour.back').click();
    await expect.poll(async () => (await app.state()).cursor).toBe(steps.at(-2));
    expect(app.errors).toEqual([]);
  });

  test('predict-then-reveal: the choices are the machine’s transitions, the answer is scored and kept', async ({
    page,
  }) => {
    const app = await openS1Tour(page);
    let asked = 0;
    let right = 0;
    for (let i = 0; i < 40 && asked < 2; i++) {
      const text = await continueToNextStop(page);
      if (text === 'End of the tour') break;
      if ((await page.getByTestId('tour.predict').count()) === 0) continue;
      const prompt = (await page.getByTestId('tour.prompt').textContent()) ?? '';
      expect(prompt).toMatch(
        /is (Initialising|InitWait|Initialised|Connected|Closing|Closed)\. What does it do next\?/,
      );
      const choices = await page
        .getByTestId('tour.predict')
        .getByRole('group')
        .getByRole('button')
        .allTextContents();
      expect(choices.length).toBeGreaterThanOrEqual(2);
      // the state it is in is never offered as where it goes
      expect(choices).not.toContain(/is (\w+)\./.exec(prompt)![1]);
      // first question: a wrong answer on purpose; second: the right one (the one the reveal names)
      const pick = asked === 0 ? choices.at(-1)! : choices[0]!;
      await page.getByTestId(`tour.choice.${pick}`).click();
      const reveal = (await page.getByTestId('tour.reveal').textContent()) ?? '';
      const correct = reveal.startsWith('Right!');
      if (correct) right++;
      asked++;
      await expect(page.getByTestId('tour.score')).toContainText(`Score ${right}/${asked} here`);
      // the reveal plays on to the step that shows the answer
      await expect.poll(async () => (await app.state()).playing).toBe(false);
    }
    expect(asked).toBe(2);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('xenscope.scores') ?? '{}'));
    expect(stored['S1/linux-modern']).toEqual({ asked: 2, correct: right });
    // kept across a reload
    await page.reload();
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S1');
    await startBuiltinTour(page);
    await expect(page.getByTestId('tour.score')).toContainText(`Score ${right}/2 here · ${right}/2 in all`);
  });

  test('a tour authored in the UI is saved in the session and its link, and plays back with its gates', async ({
    page,
    browser,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    await page.locator('[data-testid="tour.menu"] summary').click();
    await page.getByTestId('tour.author').click();
    await page.getByTestId('author.title').fill('Where blkfront waits');
    await page.getByTestId('author.intro').fill('Watch the <b>state</b> nodes & the ring.');
    // stop 1: a caption with the selected store node highlighted
    await app.seek(200);
    await page.evaluate(() =>
      window.__xenscope!.select({ node: '/local/domain/0/backend/vbd/1/51712/state', device: null }),
    );
    await page.getByTestId('author.caption').fill('The backend is in InitWait now.');
    await page.getByTestId('author.add').click();
    // stop 2: a question about the frontend
    await app.seek(250);
    await page.evaluate(() => window.__xenscope!.select({ node: null }));
    await page.getByTestId('author.caption').fill('What will blkfront do?');
    await page.getByTestId('author.ask').selectOption({ label: 'blkfront in dom1.K1' });
    await page.getByTestId('author.add').click();
    await expect(page.getByTestId('author.stops').getByRole('listitem')).toHaveCount(2);

    // the session carries it: the link is packed and opens, in a fresh browser, with the tour
    await page.waitForFunction(
      () => window.location.search.startsWith('?s=') && window.__xenscope!.link() === window.location.href,
    );
    const link = page.url();
    const context = await browser.newContext();
    const other = new AppPage(await context.newPage());
    await other.page.goto(link);
    await other.page.waitForFunction(() => window.__xenscope?.state().scenario === 'S1');
    await other.page.getByTestId('playback.speed').selectOption('64');
    await other.page.locator('[data-testid="tour.menu"] summary').click();
    await other.page.getByTestId('tour.authored').click();
    await expect(where(other.page)).toHaveText('Introduction');
    // text, never markup
    await expect(other.page.getByTestId('tour.caption')).toContainText(
      'Watch the <b>state</b> nodes & the ring.',
    );
    expect(await continueToNextStop(other.page)).toBe('Stop 1 of 2 · step 200');
    await expect(other.page.getByTestId('tour.caption')).toHaveText('The backend is in InitWait now.');
    await expect(other.storeNode('/local/domain/0/backend/vbd/1/51712/state')).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(await continueToNextStop(other.page)).toBe('Stop 2 of 2 · step 250');
    await expect(other.page.getByTestId('tour.prompt')).toHaveText(
      'blkfront in dom1.K1 is Initialising. What does it do next?',
    );
    await expect(other.page.getByTestId('tour.continue')).toBeDisabled();
    await other.page.getByTestId('tour.choice.Initialised').click();
    await expect(other.page.getByTestId('tour.reveal')).toContainText('Right!');
    await expect
      .poll(async () => (await other.state()).devices['dom1.K1|device/vbd/51712'])
      .toBe('Initialised');
    expect(await continueToNextStop(other.page)).toBe('End of the tour');
    expect(other.errors).toEqual([]);
    await context.close();
  });
});

test.describe('presenter mode', () => {
  test('large type, editing controls hidden, world map enlarged, clicker keys, blank screen', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S7', 'kexec-patch-2006');
    await app.seek(500);
    const mapBefore = (await app.region('world-map').boundingBox())!;
    await page.locator('[data-testid="tour.menu"] summary').click();
    await page.getByTestId('present.toggle').click();
    await expect(page.getByTestId('present.title')).toContainText('S7: kexec');
    for (const id of [
      'actions.menu',
      'faults.menu',
      'session.menu',
      'picker.scenario',
      'inspector.tab.debug',
    ])
      await expect(page.getByTestId(id)).toHaveCount(0);
    const size = await page.locator('.app').evaluate((e) => getComputedStyle(e).fontSize);
    expect(parseFloat(size)).toBeGreaterThanOrEqual(18);
    const mapAfter = (await app.region('world-map').boundingBox())!;
    expect(mapAfter.width * mapAfter.height).toBeGreaterThan(mapBefore.width * mapBefore.height * 1.1);
    await page.waitForFunction(() => window.location.search.includes('present=1'));

    // no tour: PageDown / PageUp go to the next and previous interesting step
    const at = (await app.state()).cursor;
    await page.keyboard.press('PageDown');
    const next = (await app.state()).cursor;
    expect(next).toBeGreaterThan(at);
    await page.keyboard.press('PageUp');
    expect((await app.state()).cursor).toBeLessThan(next);
    // `.` blanks the screen and brings it back
    await page.keyboard.press('.');
    await expect(page.getByTestId('present.blackout')).toBeVisible();
    await page.keyboard.press('.');
    await expect(page.getByTestId('present.blackout')).toHaveCount(0);

    // with a tour, PageDown is Continue
    await page.getByTestId('playback.speed').selectOption('64');
    await startBuiltinTour(page);
    await page.keyboard.press('PageDown');
    await expect(where(page)).toContainText('Stop 1 of');
    await page.getByTestId('present.exit').click();
    await expect(page.getByTestId('actions.menu')).toBeVisible();
    expect(app.errors).toEqual([]);
  });

  test('the speaker notes window follows the presenting window and its clicker drives it', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.open('?scenario=S1&profile=linux-modern&present=1');
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S1');
    await page.getByTestId('playback.speed').selectOption('64');
    await startBuiltinTour(page);
    await page.locator('[data-testid="tour.menu"] summary').click();
    const [notes] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByTestId('present.notes').click(),
    ]);
    await expect(notes.getByTestId('notes.stop')).toContainText('introduction');
    await expect(notes.getByTestId('notes.caption')).toContainText('InitWait');
    await expect(notes.getByTestId('notes.next')).toContainText('Next: step');
    // the clicker pressed in the notes window moves the presentation
    await notes.keyboard.press('PageDown');
    await expect(where(page)).toContainText('Stop 1 of');
    await expect(notes.getByTestId('notes.stop')).toContainText('stop 1 of');
    await expect.poll(async () => (await app.state()).playing).toBe(false);
    await page.keyboard.press('PageDown');
    await expect(where(page)).toContainText('Stop 2 of');
    await expect.poll(async () => (await app.state()).playing).toBe(false);
    await expect(notes.getByTestId('notes.stop')).toContainText('stop 2 of');
    const step = (await app.state()).cursor;
    await expect(notes.getByTestId('notes.step')).toContainText(`step ${step} /`);
    expect(app.errors).toEqual([]);
  });
});

test('with a tour, the tour editor and the Session menu open, axe reports no serious or critical violation', async ({
  page,
}) => {
  await openS1Tour(page);
  await continueToNextStop(page);
  await page.locator('[data-testid="tour.menu"] summary').click();
  await page.getByTestId('tour.author').click();
  await page.locator('[data-testid="session.menu"] summary').click();
  expect(await severeViolations(page)).toEqual([]);
  // presenter mode too
  await page.locator('[data-testid="tour.menu"] summary').click();
  await page.getByTestId('present.toggle').click();
  await startBuiltinTour(page);
  expect(await severeViolations(page)).toEqual([]);
});

/** axe's serious and critical findings on the page as it is, one line each. */
async function severeViolations(page: Page): Promise<string[]> {
  return (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}
