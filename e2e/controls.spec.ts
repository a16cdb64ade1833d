import { expect, test } from '@playwright/test';
import { AppPage } from './fixtures/appPage';

test.describe('controls', () => {
  test('play, pause, step, jump, speed and scrub move the timeline', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const { length } = await app.state();
    await page.getByTestId('playback.speed').selectOption('64');
    expect((await app.state()).speed).toBe(64);
    await app.command('playback.toggle').click();
    await expect.poll(async () => (await app.state()).cursor).toBeGreaterThan(0);
    await app.command('playback.toggle').click();
    expect((await app.state()).playing).toBe(false);
    await app.command('playback.end').click();
    expect((await app.state()).cursor).toBe(length);
    await app.command('playback.start').click();
    expect((await app.state()).cursor).toBe(0);
    await app.command('playback.step').click();
    await app.command('playback.step').click();
    expect((await app.state()).cursor).toBe(2);
    await page.getByTestId('playback.scrub').fill('50');
    expect((await app.state()).cursor).toBe(50);
    await expect(page.getByTestId('playback.position')).toContainText(`step 50 / ${length}`);
    await app.chartRow(45).click();
    expect((await app.state()).cursor).toBe(46);
  });

  test('keyboard: space, arrows, Home/End and ? for the shortcuts', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const { length } = await app.state();
    await page.getByTestId('region.store-view').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    expect((await app.state()).cursor).toBe(1);
    await page.keyboard.press('End');
    expect((await app.state()).cursor).toBe(length);
    await page.keyboard.press('Home');
    expect((await app.state()).cursor).toBe(0);
    await page.keyboard.press(' ');
    expect((await app.state()).playing).toBe(true);
    await page.keyboard.press(' ');
    expect((await app.state()).playing).toBe(false);
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcuts')).toBeVisible();
    await expect(page.getByTestId('shortcuts')).toContainText('Step back');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts')).toBeHidden();
  });

  test('scenario, profile and seed pickers open what they name, and the address follows', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    await page.getByTestId('picker.scenario').selectOption('S10');
    await expect.poll(async () => (await app.state()).scenario).toBe('S10');
    await page.getByTestId('picker.profile').selectOption('linux-2006');
    await expect.poll(async () => (await app.state()).profile).toBe('linux-2006');
    await page.getByTestId('picker.seed').fill('7');
    await page.getByTestId('picker.open').click();
    await expect.poll(async () => (await app.state()).seed).toBe(7);
    await expect(page).toHaveURL(/scenario=S10&profile=linux-2006&seed=7/);
    await page.getByTestId('picker.seed').fill('seven');
    await page.getByTestId('picker.open').click();
    await expect(page.getByRole('alert')).toContainText('Seed must be a whole number');
    expect((await app.state()).seed).toBe(7);
    await page.reload();
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S10');
    expect((await app.state()).profile).toBe('linux-2006');
  });

  test('every action and fault in the menus runs when offered', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S4', 'linux-modern');
    const summaries = await app.summaries();
    // just before the shutdown: a guest with a disk and a nic, both connected
    await app.seek(summaries.findIndex((s) => s.includes('guest-shutdown')));
    const names = await page.evaluate(() => window.__xenscope!.commands().map((c) => c.name));
    const menu = names.filter((n) => n.startsWith('action.') || n.startsWith('fault.'));
    const ran: string[] = [];
    for (const name of menu) {
      const enabled = await page.evaluate(
        (n) => window.__xenscope!.commands().find((c) => c.name === n)!.enabled,
        name,
      );
      if (!enabled) continue;
      const before = (await app.state()).length;
      await page
        .getByTestId(name.startsWith('action.') ? 'actions.menu' : 'faults.menu')
        .locator('summary')
        .click();
      await app.command(name).click();
      await page
        .getByTestId(name.startsWith('action.') ? 'actions.menu' : 'faults.menu')
        .locator('summary')
        .click();
      const after = await app.state();
      expect(after.error, name).toBeNull();
      expect(after.length, name).toBeGreaterThan(0);
      expect(after.length !== before || after.cursor >= 0, name).toBe(true);
      ran.push(name);
    }
    expect(ran).toEqual(expect.arrayContaining(['action.detach-disk', 'action.kexec', 'action.rx-release']));
  });

  test('above 16 device pairs the map is a state matrix; a cell zooms to its pair', async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    await app.seek((await app.state()).length);
    // each action is given at the end of the trace so far (an action at the cursor replaces the future)
    for (let domid = 2; domid <= 9; domid++)
      for (const action of [
        { type: 'create-domain', domid, kind: 'PV', image: 'vmlinuz-guest' },
        { type: 'attach-disk', domid },
        { type: 'attach-nic', domid },
      ] as const) {
        await app.act(action);
        await app.seek((await app.state()).length);
      }
    await app.seek((await app.state()).length);
    await expect(page.getByTestId('world.matrix-view')).toBeVisible();
    await page.getByTestId('matrix./local/domain/5/device/vbd/51712').click();
    await expect(page.getByTestId('pair./local/domain/5/device/vbd/51712')).toBeVisible();
    await page.getByTestId('world.matrix').click();
    await expect(page.getByTestId('world.matrix-view')).toBeVisible();
  });

  test("a device's context menu runs the same commands, aimed at its domain", async ({ page }) => {
    const app = new AppPage(page);
    await app.openScenario('S1', 'linux-modern');
    const { length } = await app.state();
    await app.seek(length);
    await app.device('dom1.K1|device/vbd/51712').click({ button: 'right' });
    const menu = page.getByTestId('context-menu');
    await expect(menu).toBeVisible();
    await expect(menu.getByTestId('command.action.rx-release')).toHaveCount(0);
    await menu.getByTestId('command.action.detach-disk').click();
    await expect(menu).toBeHidden();
    expect((await app.summaries())[length]).toMatch(/detach-disk domid=1/);
    // from the keyboard: Shift+F10 on the focused device, Escape closes
    await app.device('dom1.K1|device/vbd/51712').focus();
    await page.keyboard.press('Shift+F10');
    await expect(menu).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
  });
});
