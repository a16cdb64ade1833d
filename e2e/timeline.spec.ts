import { expect, test } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { AppPage } from './fixtures/appPage';

test.describe('stepping a scenario', () => {
  test('S1: each store write and state change shows in the store view, world map and chart at its step', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const summaries = await app.summaries();
    let checked = 0;
    for (let seq = 0; seq < summaries.length; seq++) {
      const effects = await app.effects(seq);
      const writes = effects.filter((e) => e.k === 'node-write');
      const transitions = effects.filter((e) => e.k === 'transition');
      if (writes.length === 0 && transitions.length === 0) continue;
      await app.seek(seq + 1);
      await expect(app.chartRow(seq)).toHaveAttribute('aria-current', 'step');
      // the store view brings the step's first change into view; the others may be off screen
      for (const w of writes.slice(0, 1)) {
        const node = app.storeNode(w.path);
        await expect(node).toBeInViewport();
        await expect(node).toHaveAttribute('data-value', w.value);
        await expect(node).toHaveClass(/store__row--written/);
      }
      const { devices } = await app.state();
      for (const t of transitions) {
        expect(devices[t.device]).toBe(t.to);
        await expect(app.device(t.device)).toHaveAttribute('data-state', t.to);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(app.errors).toEqual([]);
  });

  test('step back returns the exact previous picture', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const workspace = page.getByRole('main');
    // the app's picture, not the browser's: the flash of a step's changes (a CSS animation) is
    // settled, and the scrollbars (drawn by the browser, fading out on their own clock) are hidden
    const picture = () =>
      workspace.screenshot({ animations: 'disabled', style: '* { scrollbar-width: none !important; }' });
    for (const n of [120, 274, 330]) {
      await app.seek(n);
      const before = await picture();
      await page.keyboard.press('ArrowRight');
      await expect(app.chartRow(n)).toHaveAttribute('aria-current', 'step');
      expect((await picture()).equals(before)).toBe(false);
      await page.keyboard.press('ArrowLeft');
      await expect(app.chartRow(n - 1)).toHaveAttribute('aria-current', 'step');
      expect((await picture()).equals(before)).toBe(true);
    }
  });

  test('S10 [2006-RFC]: after the rx release the ring shows its leaked slots', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S10', 'kexec-patch-2006');
    const summaries = await app.summaries();
    let release = -1;
    for (let seq = 0; seq < summaries.length && release < 0; seq++)
      if ((await app.effects(seq)).some((e) => e.k === 'hv' && e.e.kind === 'rx-release')) release = seq;
    expect(release).toBeGreaterThan(0);
    await app.seek(release);
    await expect(page.locator('[data-testid^="ring."][data-leaked]:not([data-leaked="0"])')).toHaveCount(0);
    await app.seek(release + 1);
    const leaked = page.locator('[data-testid^="ring."][data-leaked]:not([data-leaked="0"])');
    await expect(leaked).toHaveCount(1);
    expect(Number(await leaked.getAttribute('data-leaked'))).toBeGreaterThan(100);
    await expect(page.getByTestId('leaks')).toContainText('leaked rx buffers');
  });

  test('S14: the domain shows both kernels across the kexec jump', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S14', 'linux-modern');
    const summaries = await app.summaries();
    const jump = summaries.findIndex((s) => s.includes('kexec-jump domid=1'));
    expect(jump).toBeGreaterThan(0);
    await app.seek(summaries.length);
    const domain = page.getByTestId('domain.1');
    await expect(domain).toContainText('K1');
    await expect(domain).toContainText('K2');
    await expect(page.getByText('d1 K2', { exact: true })).toBeVisible();
  });

  test('a store value containing markup appears as text', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const { length } = await app.state();
    await app.seek(length);
    const markup = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await app.act({ type: 'guest-write', domid: 1, path: 'data/note', value: markup });
    const written = (await app.summaries()).findIndex((x) => x.includes('WRITE data/note'));
    expect(written).toBeGreaterThan(length);
    await app.seek(written + 1);
    const node = app.storeNode('/local/domain/1/data/note');
    await expect(node).toBeInViewport();
    await expect(node).toContainText(markup);
    await expect(node.locator('b, img')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test('a bad fixture URL says which parameter is wrong and opens the session there was instead', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.open('?scenario=S7&profile=linux-2099');
    await expect(page.getByTestId('error')).toContainText('This link cannot be opened: profile: no profile');
    // a fresh browser has no saved session: S1 opens, not S7
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S1');
    expect(app.errors).toEqual([]);
  });

  test('with a scenario open, axe reports no serious or critical violation', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S7', 'kexec-patch-2006');
    await app.seek(600);
    const results = await new AxeBuilder({ page }).analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });

  test('the chart of a 45,000-step world: End and Home bring the cursor row into view, rows stay few', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('many-devices', 'linux-modern');
    const { length } = await app.state();
    expect(length).toBeGreaterThan(40_000);
    await page.keyboard.press('End');
    await expect(app.chartRow(length - 1)).toBeInViewport();
    await expect(app.chartRow(length - 1)).toHaveAttribute('aria-current', 'step');
    // virtualised: only the rows in view (and a few around) are in the page
    expect(await page.locator('[data-testid^="chart.row."]').count()).toBeLessThan(80);
    await page.keyboard.press('Home');
    await expect(app.chartRow(0)).toBeInViewport();
    await app.chartRow(5).click();
    expect((await app.state()).cursor).toBe(6);
  });

  test('S1: the grant reference and the event channel light up in the step that maps and binds them', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const summaries = await app.summaries();
    let connect = -1;
    for (let seq = 0; seq < summaries.length && connect < 0; seq++)
      if ((await app.effects(seq)).some((e) => e.k === 'hv' && e.e.kind === 'grant-map')) connect = seq;
    expect(connect).toBeGreaterThan(0);
    const pair = '/local/domain/1/device/vbd/51712';
    await app.seek(connect + 1);
    await expect(page.getByTestId(`grant.${pair}`)).toHaveClass(/grant--lit/);
    await expect(page.getByTestId(`pair.${pair}`).locator('.evtchn')).toHaveClass(/evtchn--lit/);
    await app.seek(connect + 2);
    await expect(page.getByTestId(`grant.${pair}`)).not.toHaveClass(/grant--lit/);
  });
});
