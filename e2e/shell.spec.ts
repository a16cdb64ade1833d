import { expect, test } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { AppPage, REGION_IDS } from './fixtures/appPage';

const REGION_NAMES = {
  'world-map': 'World map',
  'store-view': 'Store view',
  'sequence-chart': 'Sequence chart',
  inspector: 'Inspector',
} as const;

test.describe('application shell', () => {
  test('a panel with nothing open says what it will show (an embedded broken link)', async ({ page }) => {
    const app = new AppPage(page);
    await app.open('?scenario=nope&embed=1');
    await expect(page.getByTestId('error')).toContainText(
      'This link cannot be opened: scenario: no scenario "nope"',
    );
    for (const id of REGION_IDS) await expect(app.region(id)).toContainText('Nothing to show yet');
  });

  test('loads with zero console errors and every region present and named', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    await expect(page).toHaveTitle('XenScope');
    await expect(page.getByRole('heading', { level: 1, name: 'XenScope' })).toBeVisible();
    await expect(page.getByRole('main')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Controls' })).toBeVisible();
    for (const id of REGION_IDS) {
      const region = page.getByRole('region', { name: REGION_NAMES[id] });
      await expect(region).toBeVisible();
      await expect(region).toHaveAttribute('data-testid', `region.${id}`);
      await expect(app.region(id)).not.toContainText('Nothing to show yet');
    }
    expect(app.errors).toEqual([]);
  });

  test('keyboard focus visits controls, then the regions in reading order', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    // the controls come first; the last of them (the scrubber) leads to the first panel
    await app.tabTo('preferences.theme');
    await app.tabTo('playback.scrub');
    await page.keyboard.press('Tab');
    expect(await app.focusedTestId()).toBe('region.world-map');
    // every region is itself a tab stop, before the controls inside it, in reading order
    const stops = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid^="region."][tabindex="0"]')].map((e) =>
        e.getAttribute('data-testid'),
      ),
    );
    expect(stops.filter((id) => id !== 'region.controls')).toEqual(REGION_IDS.map((id) => `region.${id}`));
  });

  test('regions sit in reading order on screen and fit 1280x720 without page scroll', async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    const box = async (id: (typeof REGION_IDS)[number]) => {
      const b = await app.region(id).boundingBox();
      if (!b) throw new Error(`region ${id} is not rendered`);
      return b;
    };
    const world = await box('world-map');
    const store = await box('store-view');
    const chart = await box('sequence-chart');
    const inspector = await box('inspector');
    expect(store.x).toBeGreaterThan(world.x);
    expect(chart.y).toBeGreaterThan(world.y);
    expect(inspector.x).toBeGreaterThan(chart.x);
    expect(inspector.y).toBeGreaterThan(store.y);
    for (const b of [world, store, chart, inspector]) {
      expect(b.width).toBeGreaterThan(300);
      expect(b.height).toBeGreaterThan(200);
    }
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(overflow).toEqual({ x: 0, y: 0 });
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`follows the OS ${colorScheme} theme and passes axe with no serious or critical violation`, async ({
      page,
    }) => {
      await page.emulateMedia({ colorScheme });
      const app = new AppPage(page);
      await app.open();
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g)!.map(Number) as [number, number, number];
      const luminance = (r + g + b) / 3;
      if (colorScheme === 'dark') expect(luminance).toBeLessThan(64);
      else expect(luminance).toBeGreaterThan(192);
      const results = await new AxeBuilder({ page }).analyze();
      const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(severe.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      expect(app.errors).toEqual([]);
    });
  }

  test('a chosen theme overrides the OS setting and survives a reload', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const app = new AppPage(page);
    await app.open();
    await app.themeSelect.selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(app.themeSelect).toHaveValue('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await app.themeSelect.selectOption('system');
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
  });

  test('a corrupt saved preference is ignored, not fatal', async ({ page }) => {
    const app = new AppPage(page);
    await page.addInitScript(() => localStorage.setItem('xenscope.preferences', '{not json'));
    await app.open();
    await expect(app.themeSelect).toHaveValue('system');
    await expect(app.region('world-map')).toBeVisible();
    expect(app.errors).toEqual([]);
  });
});
