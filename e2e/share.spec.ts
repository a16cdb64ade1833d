import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { checkMermaidSequence } from '../src/ui/export/mermaid';
import { AppPage } from './fixtures/appPage';

/** The app's picture: CSS animations settled, the browser's own (fading) scrollbars hidden. */
const picture = (page: Page) =>
  page
    .getByRole('main', { name: 'Workspace' })
    .screenshot({ animations: 'disabled', style: '* { scrollbar-width: none !important; }' });

/** A session the user made: S7 with a fault and a detach given, a store node and a device selected. */
async function makeSession(app: AppPage): Promise<void> {
  await app.openScenario('S7', 'kexec-patch-2006');
  const length = (await app.state()).length;
  await app.seek(length);
  await app.act({ type: 'fault', name: 'watchFault', value: 'delay' });
  await app.act({ type: 'detach-disk', domid: 1 });
  await app.seek(length + 20);
  await app.page.evaluate(() =>
    window.__xenscope!.select({
      node: '/local/domain/0/backend/vbd/1/51712/state',
      device: '/local/domain/1/device/vbd/51712',
    }),
  );
  await app.page.getByTestId('inspector.tab.debug').click();
  // a store node collapsed by hand: the link keeps that too
  await app
    .region('store-view')
    .getByRole('button', { name: /^Collapse \/local\/domain\/1\// })
    .last()
    .click();
  // the pointer and the focus leave the store view, so no row shows its details in the picture
  await app.page.mouse.move(0, 0);
  await app.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** What a link or a save of the page carries now. */
const shareStateOf = (page: Page) => page.evaluate(() => window.__xenscope!.shareState());

/** Session ▸ Recent sessions: the newest is S7's; opening it brings back `share` exactly. */
async function restoreFromRecent(page: Page, share: unknown): Promise<void> {
  await page.locator('[data-testid="session.menu"] summary').click();
  const recent = page.getByTestId('session.recent').getByRole('button').first();
  await expect(recent).toContainText('S7');
  await recent.click();
  await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S7');
  expect(await shareStateOf(page)).toEqual(share);
}

/** Waits until the address has caught up with what is shown (it is written once the page is quiet). */
async function settledLink(page: Page): Promise<string> {
  await page.waitForFunction(() => {
    const link = window.__xenscope?.link();
    return link !== null && link !== undefined && link === window.location.href;
  });
  return page.url();
}

test.describe('links', () => {
  test('a link opened in a fresh browser context shows the same step, selection and picture', async ({
    page,
    browser,
  }) => {
    const app = new AppPage(page);
    await makeSession(app);
    const link = await settledLink(page);
    expect(link).toContain('?s=');
    expect(link.length).toBeLessThan(2000);
    const before = await app.state();
    const share = await shareStateOf(page);
    const shot = await picture(page);

    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const other = new AppPage(await context.newPage());
    await other.page.goto(link);
    await other.page.waitForFunction(() => window.__xenscope?.state().scenario === 'S7');
    const after = await other.state();
    expect(after.cursor).toBe(before.cursor);
    expect(after.length).toBe(before.length);
    expect(await shareStateOf(other.page)).toEqual(share);
    expect(share!.view.collapsed).toHaveLength(1);
    expect(await other.page.evaluate(() => window.__xenscope!.traceJson())).toBe(
      await page.evaluate(() => window.__xenscope!.traceJson()),
    );
    await expect(other.storeNode('/local/domain/0/backend/vbd/1/51712/state')).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(other.page.getByTestId('inspector.tab.debug')).toHaveAttribute('aria-selected', 'true');
    expect((await picture(other.page)).equals(shot)).toBe(true);
    expect(other.errors).toEqual([]);
    await context.close();
  });

  test('a readable link names the step, the selected node, ring slot and maximized panel', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.open('?scenario=S2&profile=linux-modern&step=440&slot=ring-2:5&max=world-map');
    await page.waitForFunction(() => window.__xenscope?.state().cursor === 440);
    await expect(page.getByTestId('slot.details')).toContainText('slot 5');
    await expect(page.getByTestId('slot.selected')).toHaveCount(1);
    await expect(app.region('store-view')).toHaveCount(0);
    await expect(page.getByTestId('region.world-map.maximize')).toHaveText('Restore');
    // clicking another slot moves the selection and the address follows
    await page.getByTestId('region.world-map.maximize').click();
    await expect(app.region('store-view')).toBeVisible();
    const link = await settledLink(page);
    expect(link).toContain('slot=ring-2%3A5');
    expect(link).not.toContain('max=');
  });

  test('reload restores the session at the same step, from the address or from the autosave alone', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await makeSession(app);
    await settledLink(page);
    const share = await shareStateOf(page);
    await page.reload();
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S7');
    expect(await shareStateOf(page)).toEqual(share);
    // the bare address: the autosave brings it back
    await page.goto('./');
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S7');
    expect(await shareStateOf(page)).toEqual(share);
    await expect(page.getByTestId('error')).toHaveCount(0);
    expect(app.errors).toEqual([]);
  });

  test('opening another scenario keeps the changed session among the recent ones', async ({ page }) => {
    const app = new AppPage(page);
    await makeSession(app);
    await settledLink(page);
    const share = await shareStateOf(page);
    await page.getByTestId('picker.scenario').selectOption('S1');
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S1');
    await restoreFromRecent(page, share);
  });

  test('opening a link in a new page keeps the autosaved session the user made among the recent ones', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await makeSession(app);
    await settledLink(page);
    const share = await shareStateOf(page);
    // a colleague's link, opened in the same browser
    await page.goto('./?scenario=S2&profile=linux-modern&step=100');
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S2');
    await settledLink(page);
    await page.reload();
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S2');
    await restoreFromRecent(page, share);
    expect(app.errors).toEqual([]);
  });

  test('a damaged autosave is reported, set aside and can be downloaded; the page still opens', async ({
    browser,
  }) => {
    const damaged = '{"session":{"format":"xenscope-session","version":1,"seed":"four"}}';
    // a browser whose storage already holds the damaged save
    const context = await browser.newContext({
      storageState: {
        cookies: [],
        origins: [
          { origin: 'http://127.0.0.1:4173', localStorage: [{ name: 'xenscope.session', value: damaged }] },
        ],
      },
    });
    const page = await context.newPage();
    const app = new AppPage(page);
    await page.goto('http://127.0.0.1:4173/');
    await expect(page.getByTestId('error')).toContainText('The saved session could not be restored');
    await expect(page.getByTestId('error')).toContainText('session.');
    await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S1');
    await page.locator('[data-testid="session.menu"] summary').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('session.damaged').click(),
    ]);
    expect(readFileSync(await download.path(), 'utf8')).toBe(damaged);
    expect(app.errors).toEqual([]);
    await context.close();
  });
});

/** A small seeded generator, so a failing case can be run again. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Breaks `text` one of several ways: a changed, dropped or added character, a cut, a swapped field. */
function mutate(text: string, r: () => number): string {
  const at = Math.floor(r() * text.length);
  const chars = 'Aa0_-{}[]":,%&<>\\ \u0000é';
  const ch = chars[Math.floor(r() * chars.length)]!;
  switch (Math.floor(r() * 6)) {
    case 0:
      return text.slice(0, at) + ch + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + ch + text.slice(at);
    case 3:
      return text.slice(0, at);
    case 4:
      return text.replace(/\d+/, String(Math.floor(r() * 1e7)));
    default:
      return text.replace(/"(\w+)":/, '"$1x":');
  }
}

test.describe('fuzzed input', () => {
  // each case is a page load: allow them the time
  test.setTimeout(240_000);

  test('200 fuzzed links each give a clear error with the session intact', async ({ page }) => {
    const app = new AppPage(page);
    await makeSession(app);
    const good = await settledLink(page);
    const share = await shareStateOf(page);
    const query = new URL(good).search;
    const r = rng(7);
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      // half are packed links broken anywhere, half readable links with a broken parameter
      const readable = '?scenario=S7&profile=kexec-patch-2006&seed=1&step=40&node=/local/domain/1&tab=debug';
      const broken = i % 2 === 0 ? mutate(query, r) : mutate(readable, r);
      // through the address (a page load) for some, pasted into the Session menu for the rest
      const viaAddress = i % 4 < 2;
      let accepted: boolean;
      if (viaAddress) {
        await page.goto(`./${broken.startsWith('?') ? broken : `?${broken}`}`);
        await page.waitForFunction(() => window.__xenscope?.state().scenario !== null);
        accepted = (await page.getByTestId('error').count()) === 0;
      } else accepted = await page.evaluate((t) => window.__xenscope!.openLink(t), broken);
      await expect(page.getByRole('banner')).toBeVisible();
      await expect(page.getByRole('main', { name: 'Workspace' })).toBeVisible();
      expect(app.errors, `case ${i}: ${broken}`).toEqual([]);
      if (accepted) {
        // still a valid link (a harmless change): it opened what it says, with no error; go back
        await page.goto(good);
        await page.waitForFunction(() => window.__xenscope?.state().scenario === 'S7');
        continue;
      }
      refused++;
      const error = await page.getByTestId('error').textContent();
      expect(error, `case ${i}: ${broken}`).toMatch(/This link cannot be opened: \S+/);
      expect(await shareStateOf(page), `case ${i}: ${broken}`).toEqual(share);
    }
    // a changed digit or name can still make a good link; most changes cannot
    expect(refused).toBeGreaterThan(100);
  });

  test('200 fuzzed session and trace files each give a clear error with the session intact', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await makeSession(app);
    await settledLink(page);
    const share = await shareStateOf(page);
    const sessionText = JSON.stringify(share, null, 1);
    const traceText = await page.evaluate(
      () =>
        `{"format":"xenscope-trace","version":1,"session":${JSON.stringify(window.__xenscope!.shareState()!.session)},"trace":${window.__xenscope!.traceJson()}}`,
    );
    const r = rng(11);
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const broken = mutate(i % 3 === 2 ? traceText : sessionText, r);
      const accepted = await page.evaluate((t) => window.__xenscope!.importText('fuzz.json', t), broken);
      expect(app.errors, `case ${i}`).toEqual([]);
      if (accepted) {
        await page.evaluate((t) => window.__xenscope!.importText('good.json', t), sessionText);
        continue;
      }
      refused++;
      await expect(page.getByTestId('error')).toContainText('fuzz.json cannot be imported: ');
      expect(await shareStateOf(page), `case ${i}`).toEqual(share);
    }
    expect(refused).toBeGreaterThan(150);
  });
});

test.describe('exports', () => {
  test('SVG parses, PNG decodes, Mermaid is well formed, the review bundle has the range and the link', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await app.openScenario('S11', 'linux-modern');
    await app.seek(200);
    await page.locator('[data-testid="session.menu"] summary').click();
    await page.getByTestId('export.from').fill('150');
    await page.getByTestId('export.to').fill('199');
    const save = async (kind: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(`export.${kind}`).click(),
      ]);
      return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
    };
    const svg = await save('svg');
    expect(svg.name).toBe('S11-linux-modern-seed1-steps150-199.svg');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        text: doc.documentElement.textContent ?? '',
      };
    }, svg.bytes.toString('utf8'));
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    for (const step of [150, 175, 199]) expect(parsed.text).toContain(String(step));

    const png = await save('png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const size = await page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      return [bitmap.width, bitmap.height];
    }, png.bytes.toString('base64'));
    expect(size[0]).toBeGreaterThan(300);
    expect(size[1]).toBeGreaterThan(50 * 22);

    const mermaid = (await save('mermaid')).bytes.toString('utf8');
    expect(mermaid.startsWith('sequenceDiagram')).toBe(true);
    expect(checkMermaidSequence(mermaid)).toEqual([]);
    expect(mermaid).toMatch(/^\s+\w+-->>\w+: 151: /m);

    const link = await page.evaluate(() => window.__xenscope!.link()!);
    const md = (await save('markdown')).bytes.toString('utf8');
    expect(md).toContain('| 150 |');
    expect(md).toContain('| 199 |');
    expect(md).not.toContain('| 200 |');
    expect(md).toContain('```mermaid\nsequenceDiagram');
    expect(md).toContain('Lint findings');
    expect(md).toContain(link.replace(/[<> \\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
    expect(app.errors).toEqual([]);
  });

  test('the trace exported as JSON re-imports, in a fresh page, to an identical trace', async ({
    page,
    browser,
  }) => {
    const app = new AppPage(page);
    await makeSession(app);
    await page.locator('[data-testid="session.menu"] summary').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('session.export-trace').click(),
    ]);
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text).format).toBe('xenscope-trace');
    const trace = await page.evaluate(() => window.__xenscope!.traceJson());
    expect(JSON.stringify(JSON.parse(text).trace)).toBe(trace);

    const context = await browser.newContext();
    const other = new AppPage(await context.newPage());
    await other.openScenario('S1', 'linux-modern');
    await other.page.locator('[data-testid="session.menu"] summary').click();
    const [chooser] = await Promise.all([
      other.page.waitForEvent('filechooser'),
      other.page.getByTestId('session.import').click(),
    ]);
    await chooser.setFiles(file);
    await other.page.waitForFunction(() => window.__xenscope?.state().scenario === 'S7');
    await expect(other.page.getByTestId('notice')).toContainText('Imported trace file');
    expect(await other.page.evaluate(() => window.__xenscope!.traceJson())).toBe(trace);
    expect(await shareStateOf(other.page)).toEqual(await shareStateOf(page));
    // dropped on the page, the same file imports too
    await other.openScenario('S1', 'linux-modern');
    const drop = await other.page.evaluateHandle((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'dropped.trace.json', { type: 'application/json' }));
      return dt;
    }, text);
    await other.page.dispatchEvent('main', 'drop', { dataTransfer: drop });
    await other.page.waitForFunction(() => window.__xenscope?.state().scenario === 'S7');
    await expect(other.page.getByTestId('notice')).toContainText('Imported trace file dropped.trace.json');
    expect(await other.page.evaluate(() => window.__xenscope!.traceJson())).toBe(trace);
    // the same file with one step edited is refused, naming the step
    const edited = JSON.parse(text);
    edited.trace[12].summary = 'something else';
    expect(
      await other.page.evaluate(
        (t) => window.__xenscope!.importText('edited.json', t),
        JSON.stringify(edited),
      ),
    ).toBe(false);
    await expect(other.page.getByTestId('error')).toContainText('trace: step 12 differs');
    expect(other.errors).toEqual([]);
    await context.close();
  });
});

test.describe('offline and embedded', () => {
  test('the built page works from static files with no server (file://)', async ({ page }) => {
    const app = new AppPage(page);
    const url = new URL('../dist-test/index.html', import.meta.url);
    url.search = '?scenario=S7&profile=kexec-patch-2006&step=300';
    await page.goto(url.toString());
    await page.waitForFunction(() => window.__xenscope?.state().cursor === 300);
    await expect(app.region('world-map')).toContainText('blkfront');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('playback.position')).toContainText('step 301');
    expect(app.errors).toEqual([]);
  });

  test('?embed=1 shows the panels without the banner or editing controls, and saves nothing', async ({
    page,
  }) => {
    const app = new AppPage(page);
    await page.goto('./?scenario=S1&profile=linux-modern&step=120&embed=1');
    await page.waitForFunction(() => window.__xenscope?.state().cursor === 120);
    await expect(page.getByTestId('embed.bar')).toBeVisible();
    await expect(page.getByTestId('embed.position')).toHaveText('step 120 / 463');
    await expect(page.getByTestId('region.controls')).toHaveCount(0);
    await expect(page.getByTestId('actions.menu')).toHaveCount(0);
    await expect(page.getByTestId('region.world-map.maximize')).toHaveCount(0);
    for (const id of ['world-map', 'store-view', 'sequence-chart', 'inspector'] as const)
      await expect(app.region(id)).toBeVisible();
    await page.getByTestId('command.playback.step').click();
    await expect(page.getByTestId('embed.position')).toHaveText('step 121 / 463');
    await expect(page.getByRole('link', { name: /Open in XenScope/ })).toHaveAttribute('href', /step=121/);
    expect(await page.evaluate(() => localStorage.getItem('xenscope.session'))).toBeNull();
    expect(app.errors).toEqual([]);
  });
});
