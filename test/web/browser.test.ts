/**
 * The web pages in a real browser (Debian's Chromium driven by playwright-core) against the
 * real web server, the real bot on the fake Discord (whose OAuth endpoints play Discord's
 * login) and a real SQLite database. Screenshots of failures go to the test output folder.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHarness, trackPosted, trackIdOf, until, type Harness } from '../bot/harness.ts';
import { startWebServer } from '../../src/web/server.ts';
import { renderedMedia } from '../../src/web/media.ts';
import type { FakeMessage } from '../fake-discord/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(tmpdir(), 'mixtape-web-test');
mkdirSync(OUT, { recursive: true });

let h: Harness;
let web: Awaited<ReturnType<typeof startWebServer>>;
let browser: Browser;
let base: string;
let aliceMsg: FakeMessage;
let aliceTrack: string;
let bobTrack: string;
const logLines: string[] = [];
const SESSION_SECRET = 'a-test-session-secret-of-32-characters!';

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  h = await startHarness({ webUrl: base });
  web = await startWebServer({
    store: h.store, log: pino({ level: 'debug' }, { write: (l: string) => void logLines.push(l) }), media: renderedMedia(), port, host: '127.0.0.1', publicUrl: base,
    sessionSecret: SESSION_SECRET,
    oauth: { clientId: h.fake.appId, clientSecret: h.fake.clientSecret, authorizeUrl: `http://127.0.0.1:${h.fake.port}/oauth2/authorize`, apiUrl: h.fake.apiUrl },
    discord: { token: 'fake.bot.token-for-tests', apiUrl: h.fake.apiUrl, webUrl: base },
  });
  aliceMsg = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'celtic', bars: 4, seed: 7 }));
  aliceTrack = trackIdOf(aliceMsg);
  bobTrack = trackIdOf(await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 4, seed: 8 })));
  await until(async () => (await h.store.getTrack(aliceTrack))?.messageId, 5000, 'message stored');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  });
});

after(async () => {
  await browser?.close();
  await web?.app.close();
  await h?.stop();
});

/** Runs a browser step; on failure saves a screenshot of the page and says where. */
async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const file = join(OUT, `${name.replace(/\W+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.log(`# screenshot of the failure: ${file}`);
    throw e;
  }
}

/** A browser context logged in (through the fake Discord's OAuth) as this user. */
async function loggedIn(userId: string, next: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  h.fake.oauthUserId = userId;
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  return { context, page };
}

test('the track message has an "Open" link button to its page; /mixtape top links to the web mixtape', async () => {
  const open = aliceMsg.components[1]?.components[0];
  assert.equal(open?.style, 5, 'a link button');
  assert.equal(open.url, `${base}/t/${aliceTrack}`);
  const top = h.fake.slash(h.users.bob, 'mixtape top', { period: 'month', genre: 'celtic' });
  const embed = await until(async () => h.fake.original(top)?.embeds?.[0], 5000, 'the leaderboard');
  assert.equal(embed.url, `${base}/g/${h.fake.guildId}?period=month&genre=celtic`);
});

test('a track link opens without login: Open Graph image, player that plays and seeks, staff notation, downloads', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await step(page, 'track-page', async () => {
      const res = await page.goto(`${base}/t/${aliceTrack}`);
      assert.equal(res?.status(), 200);
      const image = await page.getAttribute('meta[property="og:image"]', 'content');
      assert.equal(image, `${base}/t/${aliceTrack}/roll.png`);
      const png = await fetch(image!);
      assert.equal(png.headers.get('content-type'), 'image/png');
      assert.ok((await png.arrayBuffer()).byteLength > 1000);
      await page.waitForSelector('#notation[data-rendered="true"] svg', { timeout: 10000 });
      assert.ok((await page.locator('#notation svg .abcjs-note').count()) > 0, 'abcjs drew notes');
      const played = await page.evaluate(async () => {
        const a = (globalThis as any).document.querySelector('audio');
        a.muted = true;
        await a.play();
        const t0 = performance.now();
        while (a.currentTime < 0.3 && performance.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 50));
        const after = a.currentTime;
        const target = a.duration / 2;
        const seeked = new Promise((r) => a.addEventListener('seeked', r, { once: true }));
        a.currentTime = target;
        await seeked;
        return { after, duration: a.duration, target, now: a.currentTime };
      });
      assert.ok(played.after >= 0.3, `currentTime advanced (${played.after})`);
      assert.ok(Number.isFinite(played.duration) && played.duration > 1, `a finite duration (${played.duration})`);
      assert.ok(played.now >= played.target - 0.05, `seeked to ${played.target} (now ${played.now})`);
    });
    const ranged = await fetch(`${base}/t/${aliceTrack}/audio.ogg`, { headers: { range: 'bytes=100-199' } });
    assert.equal(ranged.status, 206);
    assert.match(ranged.headers.get('content-range') ?? '', /^bytes 100-199\/\d+$/);
    assert.equal((await ranged.arrayBuffer()).byteLength, 100);
    const abc = await (await fetch(`${base}/t/${aliceTrack}/track.abc`)).text();
    assert.match(abc, /^X:1$/m);
    assert.match(abc, /^R:/m, 'a celtic tune names its tune type');
    const xml = await (await fetch(`${base}/t/${aliceTrack}/track.musicxml`)).text();
    assert.match(xml, /^<\?xml/);
    const mp3 = await fetch(`${base}/t/${aliceTrack}/audio.mp3`);
    assert.equal(mp3.headers.get('content-type'), 'audio/mpeg');
  } finally {
    await context.close();
  }
});

test("a private server's mixtape refuses strangers and outsiders; the OAuth state is checked", async () => {
  const anon = await browser.newContext();
  const page = await anon.newPage();
  const res = await page.goto(`${base}/g/${h.fake.guildId}`);
  assert.equal(res?.status(), 401);
  assert.match(await page.textContent('main') ?? '', /Members only/);
  const forged = await page.goto(`${base}/auth/callback?code=abc&state=forged`);
  assert.equal(forged?.status(), 400, 'a callback whose state did not start here is refused');
  await anon.close();

  const eve = h.fake.addUser('eve');
  h.fake.userGuilds.set(eve.id, ['111111111111111111']);
  const outsider = await loggedIn(eve.id, `/g/${h.fake.guildId}`);
  await step(outsider.page, 'outsider', async () => {
    assert.match(outsider.page.url(), new RegExp(`/g/${h.fake.guildId}$`));
    assert.match(await outsider.page.textContent('main') ?? '', /not in that server/);
    assert.equal(h.fake.oauthRequests.at(-1)?.scope, 'identify guilds');
    assert.ok((h.fake.oauthRequests.at(-1)?.state.length ?? 0) >= 32, 'a random state');
  });
  // Admins make the pages public: now the outsider sees them too.
  await h.store.setSetting(h.fake.guildId, 'publicPages', true, h.users.admin.id);
  assert.equal((await outsider.page.reload())?.status(), 200);
  await h.store.setSetting(h.fake.guildId, 'publicPages', null, h.users.admin.id);
  assert.equal((await outsider.page.reload())?.status(), 403);
  await outsider.context.close();
});

test('a member logs in, votes on the web: the leaderboard and the bot message change; play all plays', async () => {
  const { context, page } = await loggedIn(h.users.carol.id, `/t/${aliceTrack}`);
  try {
    await step(page, 'vote', async () => {
      assert.match(page.url(), new RegExp(`/t/${aliceTrack}$`));
      await page.click('form.vote button[aria-label="Vote up"]');
      await page.waitForURL(new RegExp(`/t/${aliceTrack}$`));
      assert.match(await page.textContent('.score') ?? '', /\+1/);
      const msg = h.fake.messages.get(aliceMsg.id)!;
      assert.equal(msg.components[0].components[0].label, '1', "the bot's 👍 count");
      assert.match(msg.embeds[0].fields.find((f: any) => f.name === 'Score').value, /\+1/);
      assert.equal(msg.components[1].components[0].url, `${base}/t/${aliceTrack}`, 'the Open button stays');
      const res = await page.goto(`${base}/g/${h.fake.guildId}?period=week`);
      assert.equal(res?.status(), 200);
      const first = page.locator('#board li').first();
      assert.equal(await first.getAttribute('data-track'), aliceTrack);
      await page.setViewportSize({ width: 1000, height: 700 });
      const shot = join(OUT, 'mixtape-page.png');
      await page.screenshot({ path: shot });
      if (process.env.MIXTAPE_SCREENSHOTS === 'docs') copyFileSync(shot, new URL('../../docs/mixtape-page.png', import.meta.url));
      // Phone width: nothing runs off the side.
      await page.setViewportSize({ width: 375, height: 700 });
      const fits = () => page.evaluate(() => { const d = (globalThis as any).document.documentElement; return d.scrollWidth <= d.clientWidth + 1; });
      assert.ok(await fits(), 'the mixtape page fits a phone');
      await page.goto(`${base}/t/${aliceTrack}`);
      assert.ok(await fits(), 'the track page fits a phone');
      await page.goto(`${base}/g/${h.fake.guildId}?period=week`);
      await page.click('#play-all');
      await page.waitForFunction(() => (globalThis as any).document.querySelector('#board audio').currentTime > 0.2, undefined, { timeout: 15000 });
      assert.match(await page.textContent('#now-playing') ?? '', /Now playing 1 of/);
    });
    // Votes on your own track never count.
    h.fake.oauthUserId = h.users.alice.id;
    const mine = await context.request.post(`${base}/t/${aliceTrack}/vote`, { form: { value: '1' }, headers: { accept: 'application/json' } });
    assert.equal(mine.status(), 200, 'carol is still logged in here');
  } finally {
    await context.close();
  }
  const alice = await loggedIn(h.users.alice.id, `/t/${aliceTrack}`);
  const self = await alice.context.request.post(`${base}/t/${aliceTrack}/vote`, { form: { value: '1' }, headers: { accept: 'application/json' } });
  assert.equal(self.status(), 400);
  assert.match((await self.json()).error, /own pieces/);
  await alice.context.close();
});

test('web sharing off hides track links from outsiders; deleted tracks vanish at once', async () => {
  await h.store.setSetting(h.fake.guildId, 'webSharing', false, h.users.admin.id);
  assert.equal((await fetch(`${base}/t/${bobTrack}`)).status, 403);
  assert.equal((await fetch(`${base}/t/${bobTrack}/audio.ogg`)).status, 403);
  await h.store.setSetting(h.fake.guildId, 'webSharing', null, h.users.admin.id);
  assert.equal((await fetch(`${base}/t/${bobTrack}`)).status, 200);
  assert.ok(await h.store.deleteTrack(aliceTrack, h.users.alice.id, false));
  assert.equal((await fetch(`${base}/t/${aliceTrack}`)).status, 404);
  await h.store.setSetting(h.fake.guildId, 'publicPages', true, h.users.admin.id);
  const board = await (await fetch(`${base}/g/${h.fake.guildId}?period=all`)).text();
  assert.ok(!board.includes(aliceTrack), 'gone from the mixtape');
  assert.ok(existsSync(OUT));
});

test('no secret reaches the web log: session secret, client secret, bot token, Discord access tokens', () => {
  assert.ok(logLines.some((l) => l.includes('web login')), 'logins are logged');
  const all = logLines.join('\n');
  for (const secret of [SESSION_SECRET, h.fake.clientSecret, 'fake.bot.token-for-tests', 'Bearer ', 'access_token', 'mt_session=']) {
    assert.ok(!all.includes(secret), `the log holds ${secret.slice(0, 12)}...`);
  }
});
