import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

/** The first step (by the page's own trace) with an effect that `test` accepts; `test` runs in the page. */
async function firstStep(page: Page, test: string): Promise<number> {
  return page.evaluate((source) => {
    const accept = new Function('e', `return (${source})(e)`) as (e: unknown) => boolean;
    const api = window.__xenscope!;
    const n = api.state().length;
    for (let i = 0; i < n; i++) if (api.effects(i).some(accept)) return i;
    return -1;
  }, test);
}

async function breakOn(app: AppPage, text: string): Promise<void> {
  await app.page.getByTestId('inspector.tab.debug').click();
  await app.page.getByTestId('breakpoints.input').fill(text);
  await app.page.getByTestId('breakpoints.add').click();
  await expect(app.page.getByTestId('breakpoints')).toContainText(text);
}

async function playUntilStopped(app: AppPage): Promise<number> {
  await app.page.getByTestId('playback.speed').selectOption('64');
  await app.command('playback.toggle').click();
  await expect.poll(async () => (await app.state()).playing, { timeout: 20_000 }).toBe(false);
  return (await app.state()).cursor;
}

const CASES = [
  {
    scenario: 'S4',
    profile: 'linux-modern',
    text: 'blkback: Connected→Closing',
    effect: `(e) => e.k === 'transition' && e.device.includes('|backend/vbd') && e.from === 'Connected' && e.to === 'Closing'`,
  },
  {
    scenario: 'S1',
    profile: 'linux-modern',
    text: 'write /local/domain/*/device/vbd/*/state',
    effect: `(e) => e.k === 'node-write' && /^\\/local\\/domain\\/\\d+\\/device\\/vbd\\/\\d+\\/state$/.test(e.path)`,
  },
  {
    scenario: 'S11',
    profile: 'linux-modern',
    text: 'watch merged',
    effect: `(e) => e.k === 'guest' && e.e.kind === 'watch-event-dropped' && e.e.reason === 'pending'`,
  },
  {
    scenario: 'S12',
    profile: 'linux-modern',
    text: 'eagain',
    effect: `(e) => e.k === 'tx' && e.outcome === 'eagain'`,
  },
  { scenario: 'S10', profile: 'linux-2006', text: 'timeout', effect: `(e) => e.k === 'timeout'` },
  {
    scenario: 'S10',
    profile: 'linux-2006',
    text: 'driver_pages > 200',
    effect: `(e) => e.k === 'hv' && e.e.kind === 'balloon-counter' && e.e.counter === 'driverPages' && e.e.old <= 200 && e.e.new > 200`,
  },
] as const;

test.describe('debugger', () => {
  for (const c of CASES)
    test(`breakpoint "${c.text}" stops playback on its step (${c.scenario})`, async ({ page }) => {
      const app = new AppPage(page);
      await app.openScenario(c.scenario, c.profile);
      const expected = await firstStep(page, c.effect);
      expect(expected).toBeGreaterThan(0);
      await breakOn(app, c.text);
      expect(await playUntilStopped(app)).toBe(expected + 1);
      await expect(page.getByTestId('breakpoints.hit')).toContainText(`step ${expected}`);
      await expect(page.getByTestId('playback.hit')).toContainText(c.text);
      await expect(app.chartRow(expected)).toHaveAttribute('aria-current', 'step');
    });

  test('a disabled breakpoint lets playback run to the end; a bad one is refused with a reason', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    await breakOn(app, 'blkfront: Connected');
    await page.getByTestId('breakpoint.1').getByRole('checkbox').uncheck();
    expect(await playUntilStopped(app)).toBe((await app.state()).length);
    await page.getByTestId('breakpoints.input').fill('blkfront: Conected');
    await page.getByTestId('breakpoints.add').click();
    await expect(page.getByTestId('breakpoints').getByRole('alert')).toContainText('not a xenbus state');
  });

  test('search finds every step that touched a path, and a result jumps there', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const path = '/local/domain/1/device/vbd/51712/state';
    const writes = await page.evaluate((p) => {
      const api = window.__xenscope!;
      const out: number[] = [];
      for (let i = 0; i < api.state().length; i++)
        if (api.effects(i).some((e) => e.k === 'node-write' && e.path === p)) out.push(i);
      return out;
    }, path);
    await page.getByTestId('inspector.tab.debug').click();
    await page.getByTestId('search.input').fill(`path:${path}`);
    await expect(page.getByTestId('search.count')).toContainText('steps');
    for (const seq of writes) await expect(page.getByTestId(`search.result.${seq}`)).toBeVisible();
    await page.getByTestId(`search.result.${writes.at(-1)}`).click();
    expect((await app.state()).cursor).toBe(writes.at(-1)! + 1);
  });

  test('compare mode: S6 beside S7, aligned, and a jump to the first divergence', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S6', 'linux-2006');
    await page.getByTestId('inspector.tab.debug').click();
    await page.getByTestId('compare.scenario').selectOption('S7');
    await expect(page.getByTestId('compare.profile')).toHaveValue('kexec-patch-2006');
    await page.getByTestId('compare.open').click();
    await expect(page.getByTestId('compare.summary')).toContainText('steps differ');
    await page.getByTestId('compare.first-divergence').click();
    const { cursor } = await app.state();
    const summaries = await app.summaries();
    // the runs part ways at the kexec: the 2006 RFC closes the frontends first
    expect(summaries[cursor - 1]).toMatch(/kexec/);
    const current = page.locator('.compare__row--current');
    await expect(current).toBeVisible();
    expect(await current.getAttribute('data-kind')).not.toBe('same');
    // every row above it matched
    const index = Number((await current.getAttribute('data-testid'))!.split('.').at(-1));
    for (const i of [index - 1, index - 2, index - 3])
      await expect(page.getByTestId(`compare.row.${i}`)).toHaveAttribute('data-kind', 'same');
    await page.getByTestId('compare.close').click();
    await expect(page.getByTestId('chart')).toBeVisible();
  });

  test("why-chain: S1's final frontend Connected goes back to the toolstack's first write and the user's attach", async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const summaries = await app.summaries();
    await app.seek(summaries.length);
    await app.device('dom1.K1|device/vbd/51712').click({ button: 'right' });
    await page.getByTestId('context-menu').getByTestId('command.why.device').click();
    const why = page.getByTestId('why');
    await expect(why).toContainText('dom1.K1|device/vbd/51712 Connected');
    await why.getByRole('button', { name: /show all/ }).click();
    const mkdir = summaries.findIndex((s) =>
      s.startsWith('dom0.xl: MKDIR [tx 2] /local/domain/1/device/vbd/51712'),
    );
    const attach = summaries.findIndex((s) => s.startsWith('user: attach-disk'));
    expect(mkdir).toBeGreaterThan(attach);
    await expect(page.getByTestId(`why.link.${mkdir}`)).toBeVisible();
    await expect(page.getByTestId('why.root')).toContainText(`step ${attach}: user: attach-disk`);

    // the chain's steps are highlighted in the chart
    await page.getByTestId(`why.link.${mkdir}`).getByRole('button', { name: 'go' }).click();
    await expect(app.chartRow(mkdir)).toHaveClass(/chart__row--why/);
  });

  test('a flashing store node has its why-chain too', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const path = '/local/domain/1/device/vbd/51712/state';
    const write = await firstStep(
      page,
      `(e) => e.k === 'node-write' && e.path === '${path}' && e.value === '3'`,
    );
    expect(write).toBeGreaterThan(0);
    await app.seek(write + 1);
    await app.storeNode(path).hover();
    await page.getByTestId(`store.why.${path}`).click();
    await expect(page.getByTestId('why')).toContainText(path);
    await expect(page.getByTestId('why.root')).toContainText('user: attach-disk');
    // and the reverse: the write fired watch events, whose callbacks ran
    await expect(page.getByTestId('why.consequences')).toContainText('watch event');
  });

  for (const c of [
    { scenario: 'S11', profile: 'linux-modern', rule: 'state-write-unseen' },
    { scenario: 'S14', profile: 'linux-modern', rule: 'connected-to-initialising' },
    { scenario: 'S3-inflight', profile: 'linux-modern', rule: 'resources-at-closed' },
    { scenario: 'S10', profile: 'linux-2006', rule: 'pages-not-returned' },
    { scenario: 'S1-initialised-early', profile: 'linux-modern', rule: 'backend-initialised-early' },
    { scenario: 'S1-xenstored-restart', profile: 'linux-2006', rule: 'state-write-unseen' },
  ])
    test(`lint: ${c.rule} fires on ${c.scenario} and is marked on the chart`, async ({ page }) => {
      const app = new AppPage(page);
      await app.openScenario(c.scenario, c.profile);
      await page.getByTestId('inspector.tab.debug').click();
      const finding = page.getByTestId(`lint.finding.${c.rule}`).first();
      await expect(finding).toBeVisible();
      await finding.getByRole('button').click();
      const { cursor } = await app.state();
      await expect(app.chartRow(cursor - 1).locator('.chart__lint')).toBeVisible();
    });

  for (const id of ['S1', 'S2'])
    test(`lint stays silent on ${id}`, async ({ page }) => {
      const app = new AppPage(page);
      await app.openScenario(id, 'linux-modern');
      await page.getByTestId('inspector.tab.debug').click();
      await expect(page.getByTestId('lint.none')).toBeVisible();
    });

  for (const c of [
    {
      fault: 'fault.fail-unmap',
      profile: 'linux-modern',
      given: 'user: fault name=unmapFault value=true',
      rule: 'resources-at-closed',
      says: 'still holds grant ref',
    },
    {
      fault: 'fault.restart-xenstored',
      profile: 'linux-2006',
      given: 'user: restart-xenstored',
      rule: 'state-write-unseen',
      says: 'daemon restart',
    },
  ])
    test(`${c.fault} from the Faults menu, then a detach: recorded, and the lint names what broke`, async ({
      page,
    }) => {
      const app = new AppPage(page);
      await app.openScenario('S1', c.profile);
      await page.getByTestId('inspector.tab.debug').click();
      await expect(page.getByTestId('lint.none')).toBeVisible();
      // each action is given at the end of the trace (one at an earlier cursor would replace the future)
      for (const [menu, name] of [
        ['faults.menu', c.fault],
        ['actions.menu', 'action.detach-disk'],
      ] as const) {
        await app.seek((await app.state()).length);
        await page.getByTestId(menu).locator('summary').click();
        await app.command(name).click();
        await page.getByTestId(menu).locator('summary').click();
      }
      const summaries = await app.summaries();
      const given = summaries.indexOf(c.given);
      expect(given).toBeGreaterThan(0);
      expect(summaries.indexOf('user: detach-disk domid=1')).toBeGreaterThan(given);
      const finding = page.getByTestId(`lint.finding.${c.rule}`);
      await expect(finding).toHaveCount(1);
      await expect(finding).toContainText(c.says);
      expect(app.errors).toEqual([]);
    });

  test("manual interleaving: S11's lost Connected found from S1 by picks alone, the preview labelling it", async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    await page.getByTestId('inspector.tab.debug').click();
    await page.getByTestId('interleaving.manual').click();
    await expect(page).toHaveURL(/policy=manual/);
    // the fault S11 is about, given as the disk is being attached; no xenwatch is held
    const attach = (await app.summaries()).indexOf('user: attach-disk domid=1');
    await app.seek(attach + 1);
    await page.getByTestId('faults.menu').locator('summary').click();
    await app.command('fault.blkback-fatal').click();
    await page.getByTestId('faults.menu').locator('summary').click();
    const fe3 = await firstStep(
      page,
      `(e) => e.k === 'node-write' && e.path === '/local/domain/1/device/vbd/51712/state' && e.value === '3'`,
    );
    await app.seek(fe3 + 1);
    // hold the guest back by hand: run what is not dom1's, previewing every choice on the way
    let found = -1;
    for (let n = 0; n < 120 && found < 0; n++) {
      const whats = await page.locator('.interleave__what').allInnerTexts();
      expect(whats.length).toBeGreaterThan(0);
      if (whats.length > 1)
        for (let i = 0; i < whats.length && found < 0; i++) {
          await page.getByTestId(`interleaving.preview.${i}`).click();
          const label = await page.getByTestId(`interleaving.outcome.${i}`).innerText();
          if (label.includes('frontend missed Connected')) found = i;
        }
      const next =
        found >= 0
          ? found
          : Math.max(
              0,
              whats.findIndex((w) => !w.includes('dom1.K1')),
            );
      const before = (await app.state()).cursor;
      await page.getByTestId(`interleaving.run.${next}`).click();
      await expect.poll(async () => (await app.state()).cursor).toBe(before + 1);
    }
    expect(found).toBeGreaterThanOrEqual(0);
    // the run goes on from the pick: the frontend never enters Connected, and the lint says why
    const { length } = await app.state();
    await app.seek(length);
    const entered = await firstStep(
      page,
      `(e) => e.k === 'transition' && e.device === 'dom1.K1|device/vbd/51712' && e.to === 'Connected'`,
    );
    expect(entered).toBe(-1);
    const finding = page.getByTestId('lint.finding.state-write-unseen').first();
    await expect(finding).toContainText('= 4 (Connected) was never read by dom1.K1');
  });

  test('manual interleaving: S11 by hand, the preview labels the missed Connected, a pick runs next', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S11', 'linux-modern');
    await page.getByTestId('inspector.tab.debug').click();
    const held = (await app.summaries()).findIndex((s) => s.includes('hold-xenwatch domid=1 held=true'));
    await app.seek(held + 1);
    await page.getByTestId('interleaving.manual').click();
    await expect(page).toHaveURL(/policy=manual/);
    // the same run under the manual policy, at the same place
    expect((await app.state()).cursor).toBe(held + 1);
    expect((await app.summaries())[held]).toContain('hold-xenwatch domid=1 held=true');
    const first = page.getByTestId('interleaving.choice.0');
    await expect(first).toBeVisible();
    await page.getByTestId('interleaving.preview.0').click();
    await expect(page.getByTestId('interleaving.outcome.0')).toContainText('frontend missed Connected');
    await first.getByRole('button', { name: 'pin' }).click();
    if (await page.getByTestId('interleaving.choice.1').isVisible()) {
      await page.getByTestId('interleaving.preview.1').click();
      await page.getByTestId('interleaving.choice.1').getByRole('button', { name: 'pin' }).click();
    }
    await expect(page.getByTestId('interleaving.pinned')).toContainText('/local/domain/1/device/vbd/51712');
    const before = (await app.state()).cursor;
    const what = await first.locator('.interleave__what').innerText();
    await page.getByTestId('interleaving.run.0').click();
    expect((await app.state()).cursor).toBe(before + 1);
    // the step run is the one chosen
    const ran = (await app.summaries())[before]!;
    expect(what.length).toBeGreaterThan(0);
    expect(ran.length).toBeGreaterThan(0);
  });
});
