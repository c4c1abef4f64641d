/**
 * The web server (Fastify): a server's mixtape, track pages with audio that seeks (range
 * requests), piano roll, notation and downloads, member profiles, Discord login and web votes.
 *
 * Privacy: a track page is unlisted (its id is 72 random bits) and opens for anyone with the
 * link unless its server turned `web-sharing` off; a server's mixtape and member pages are for
 * its members (Discord login) unless its admins turned `public-pages` on. Deleted tracks are
 * gone from every page at once (every request reads the store).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Logger } from 'pino';
import { isMixtapeError } from '../engine/errors.ts';
import { genreKeys } from '../engine/genres/index.ts';
import { readMidi } from '../engine/midi.ts';
import { pianoRoll } from '../render/pianoroll.ts';
import { readSettings, type GuildConfig } from '../settings/index.ts';
import type { Store, TrackRecord } from '../storage/types.ts';
import { beginLogin, checkState, clearSession, finishLogin, readSession, SESSION_MS, writeSession, type OAuthConfig, type Session } from './auth.ts';
import { refreshTrackMessage, type DiscordLink } from './discord-sync.ts';
import { messagePage } from './html.ts';
import { ByteCache, abcOf, musicXmlOf, type MediaSource } from './media.ts';
import { homePage, mixtapePage, profilePage, trackPage, type Period } from './pages.ts';
import { sendBytes } from './ranges.ts';

export interface WebOptions {
  store: Store;
  log: Logger;
  media: MediaSource;
  /** Public base URL (Open Graph links, the OAuth redirect); taken from the request when absent. */
  publicUrl?: string;
  /** Signs the session cookies; a random one (sessions end at restart) when absent. */
  sessionSecret?: string;
  /** Discord login; without it pages that need a member say that login is not set up. */
  oauth?: OAuthConfig;
  /** Edits the bot's track message after a web vote. */
  discord?: DiscordLink;
}

const TRACK_ID = /^[A-Za-z0-9_-]{6,32}$/;
const SNOWFLAKE = /^\d{5,25}$/;
const DAY = 24 * 60 * 60 * 1000;
const PERIOD_MS: Record<Period, number> = { week: 7 * DAY, month: 30 * DAY, all: 0 };
const STATIC_DIR = new URL('./static/', import.meta.url);
const require = createRequire(import.meta.url);

/** Files served under /static/: our own two and abcjs's browser bundle from node_modules. */
function staticFiles(): Map<string, { bytes: Buffer; type: string }> {
  const files = new Map<string, { bytes: Buffer; type: string }>();
  files.set('app.js', { bytes: readFileSync(new URL('app.js', STATIC_DIR)), type: 'text/javascript; charset=utf-8' });
  files.set('style.css', { bytes: readFileSync(new URL('style.css', STATIC_DIR)), type: 'text/css; charset=utf-8' });
  const abcjs = require.resolve('abcjs/dist/abcjs-basic-min.js');
  files.set('abcjs-basic-min.js', { bytes: readFileSync(abcjs), type: 'text/javascript; charset=utf-8' });
  return files;
}

/** Builds the web app (not listening yet): `await app.listen({ port, host })`. */
export async function createWebServer(o: WebOptions): Promise<FastifyInstance> {
  // Behind a proxy, WEB_URL names the public address: forwarded headers are not trusted.
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  const secret = o.sessionSecret ?? randomBytes(32).toString('base64url');
  if (!o.sessionSecret) o.log.warn('SESSION_SECRET is not set: logins last until the web server restarts');
  await app.register(cookie, { secret });
  await app.register(formbody);
  const files = staticFiles();
  const pictures = new ByteCache(32 * 1024 * 1024);
  const secure = Boolean(o.publicUrl?.startsWith('https:'));
  const baseOf = (req: FastifyRequest) => (o.publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
  const redirectUri = (req: FastifyRequest) => `${baseOf(req)}/auth/callback`;
  const settingsOf = (guildId: string): Promise<GuildConfig> => readSettings(o.store, guildId);

  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(body);

  /** Who may see a server's pages: everyone when public, else its members after login. */
  async function guildAccess(req: FastifyRequest, guildId: string): Promise<{ ok: true; session: Session | null } | { ok: false; status: number; body: string }> {
    const session = readSession(req);
    const config = await settingsOf(guildId);
    if (config.publicPages || session?.guilds.includes(guildId)) return { ok: true, session };
    const user = session ? { name: session.name } : null;
    if (!session) {
      return { ok: false, status: 401, body: messagePage('Members only', "This server's mixtape is for its members. Log in with Discord to see it.", { user, loginNext: req.url }, `<p><a class="button primary" href="/login?next=${encodeURIComponent(req.url)}">Log in with Discord</a></p>`) };
    }
    return { ok: false, status: 403, body: messagePage('Members only', "This server's mixtape is for its members, and your Discord account is not in that server. Its admins can make it public with /settings public-pages.", { user }) };
  }

  /** The track when it exists and the viewer may see it (web sharing on, or a member). */
  async function visibleTrack(req: FastifyRequest, reply: FastifyReply, id: string): Promise<TrackRecord | null> {
    const session = readSession(req);
    const user = session ? { name: session.name } : null;
    const track = TRACK_ID.test(id) ? await o.store.getTrack(id) : null;
    if (!track) {
      html(reply, 404, messagePage('No such track', 'This track does not exist or was deleted.', { user }));
      return null;
    }
    const config = await settingsOf(track.guildId);
    if (!config.webSharing && !session?.guilds.includes(track.guildId)) {
      html(reply, 403, messagePage('Not shared on the web', "This server keeps its tracks inside Discord (web sharing is off). Members can log in to open it.", { user, loginNext: req.url }));
      return null;
    }
    return track;
  }

  app.setErrorHandler((err, req, reply) => {
    if (isMixtapeError(err)) return html(reply, err.code === 'NOT_FOUND' ? 404 : err.code === 'UNAVAILABLE' ? 503 : 400, messagePage('Something is not right', err.message));
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500) return html(reply, status, messagePage('Bad request', 'That request could not be read.'));
    o.log.error({ err: (err as Error).message, url: req.url.split('?')[0] }, 'web request failed');
    return html(reply, 500, messagePage('Something went wrong', 'Please try again in a moment.'));
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.get<{ Params: { file: string } }>('/static/:file', async (req, reply) => {
    const f = files.get(req.params.file);
    if (!f) return html(reply, 404, messagePage('Not found', 'No such file.'));
    return reply.type(f.type).header('cache-control', 'public, max-age=3600').send(f.bytes);
  });

  app.get('/', async (req, reply) => {
    const session = readSession(req);
    return html(reply, 200, homePage({ user: session ? { name: session.name } : null }));
  });

  app.get<{ Params: { guild: string }; Querystring: { period?: string; genre?: string } }>('/g/:guild', async (req, reply) => {
    const guildId = req.params.guild;
    if (!SNOWFLAKE.test(guildId)) return html(reply, 404, messagePage('No such server', 'That is not a server id.'));
    const access = await guildAccess(req, guildId);
    if (!access.ok) return html(reply, access.status, access.body);
    const period: Period = req.query.period === 'month' || req.query.period === 'all' ? req.query.period : 'week';
    const genres = genreKeys();
    const genre = req.query.genre && genres.includes(req.query.genre) ? req.query.genre : undefined;
    const since = PERIOD_MS[period] ? new Date(Date.now() - PERIOD_MS[period]) : undefined;
    const entries = await o.store.leaderboard({ guildId, since, genre, limit: 50 });
    const users = await o.store.getUsers(entries.map((e) => e.authorId));
    const session = access.session;
    return html(reply, 200, mixtapePage({
      guildId, period, genre, genres, entries,
      names: new Map(users.map((u) => [u.id, u.name])),
      url: `${baseOf(req)}/g/${guildId}`,
      user: session ? { name: session.name } : null,
      canVote: Boolean(session?.guilds.includes(guildId)),
    }));
  });

  app.get<{ Params: { guild: string; user: string } }>('/u/:guild/:user', async (req, reply) => {
    const { guild: guildId, user: userId } = req.params;
    if (!SNOWFLAKE.test(guildId) || !SNOWFLAKE.test(userId)) return html(reply, 404, messagePage('No such member', 'That is not a member id.'));
    const access = await guildAccess(req, guildId);
    if (!access.ok) return html(reply, access.status, access.body);
    const [profile, users, models] = await Promise.all([
      o.store.userProfile(userId, guildId),
      o.store.getUsers([userId]),
      o.store.listModels(userId),
    ]);
    const session = access.session;
    return html(reply, 200, profilePage({
      guildId, name: users[0]?.name ?? 'A member', profile, tracks: profile.recentTracks,
      models: models.filter((m) => m.ownerId === userId && m.shared && (m.guildId === guildId || m.guildId === null)),
      url: `${baseOf(req)}/u/${guildId}/${userId}`,
      user: session ? { name: session.name } : null,
    }));
  });

  app.get<{ Params: { id: string } }>('/t/:id', async (req, reply) => {
    const track = await visibleTrack(req, reply, req.params.id);
    if (!track) return reply;
    const session = readSession(req);
    const member = Boolean(session?.guilds.includes(track.guildId));
    const [tally, users, parent, config] = await Promise.all([
      o.store.trackScore(track.id),
      o.store.getUsers([track.authorId]),
      track.parentTrackId ? o.store.getTrack(track.parentTrackId) : Promise.resolve(null),
      settingsOf(track.guildId),
    ]);
    const base = baseOf(req);
    return html(reply, 200, trackPage({
      track, tally, authorName: users[0]?.name ?? 'a member',
      parent: parent ? { id: parent.id, title: parent.title } : null,
      abc: abcOf(track),
      url: `${base}/t/${track.id}`,
      imageUrl: `${base}/t/${track.id}/roll.png`,
      user: session ? { name: session.name } : null,
      canVote: member,
      guildVisible: member || config.publicPages,
    }));
  });

  app.get<{ Params: { id: string; file: string } }>('/t/:id/:file', async (req, reply) => {
    const m = /^(audio\.ogg|audio\.mp3|roll\.png|track\.mid|track\.abc|track\.musicxml)$/.exec(req.params.file);
    if (!m) return html(reply, 404, messagePage('Not found', 'No such file.'));
    const track = await visibleTrack(req, reply, req.params.id);
    if (!track) return reply;
    const name = `${track.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48) || 'mixtape'}`;
    switch (m[1]) {
      case 'audio.ogg': return sendBytes(req, reply, await o.media.audio(track, 'ogg'), 'audio/ogg');
      case 'audio.mp3': return sendBytes(req, reply, await o.media.audio(track, 'mp3'), 'audio/mpeg');
      case 'roll.png': {
        let png = pictures.get(track.id);
        if (!png) pictures.set(track.id, (png = pianoRoll(readMidi(track.midi))));
        return sendBytes(req, reply, png, 'image/png');
      }
      case 'track.mid': return sendBytes(req, reply, track.midi, 'audio/midi', `${name}.mid`);
      case 'track.abc': return sendBytes(req, reply, new TextEncoder().encode(abcOf(track)), 'text/vnd.abc; charset=utf-8', `${name}.abc`);
      default: return sendBytes(req, reply, new TextEncoder().encode(musicXmlOf(track)), 'application/vnd.recordare.musicxml+xml', `${name}.musicxml`);
    }
  });

  app.post<{ Params: { id: string }; Body: { value?: string; back?: string } }>('/t/:id/vote', async (req, reply) => {
    const session = readSession(req);
    const wantsJson = (req.headers.accept ?? '').includes('application/json');
    const refuse = (status: number, text: string) =>
      wantsJson ? reply.code(status).send({ error: text }) : html(reply, status, messagePage('Vote not counted', text, { user: session ? { name: session.name } : null }));
    // SameSite=Lax keeps the cookie off cross-site posts; the Origin check refuses the rest.
    const origin = req.headers.origin;
    if (origin && origin !== baseOf(req)) return refuse(403, 'Votes come from this site only.');
    if (!session) return refuse(401, 'Log in with Discord to vote.');
    const track = TRACK_ID.test(req.params.id) ? await o.store.getTrack(req.params.id) : null;
    if (!track) return refuse(404, 'This track does not exist or was deleted.');
    if (!session.guilds.includes(track.guildId)) return refuse(403, "Only members of the track's server can vote on it.");
    const value = Number(req.body?.value);
    if (value !== 1 && value !== -1 && value !== 0) return refuse(400, 'A vote is up or down.');
    let tally;
    try {
      await o.store.upsertUser(session.userId, session.name);
      tally = await o.store.vote(track.id, session.userId, value);
    } catch (e) {
      if (isMixtapeError(e) && (e.code === 'BAD_ARGUMENT' || e.code === 'NOT_FOUND')) return refuse(400, e.message);
      throw e;
    }
    if (o.discord) await refreshTrackMessage(o.discord, track, tally, o.log);
    if (wantsJson) return reply.send(tally);
    const back = typeof req.body?.back === 'string' && /^\/(?![/\\])/.test(req.body.back) ? req.body.back : `/t/${track.id}`;
    return reply.redirect(back, 303);
  });

  app.get<{ Querystring: { next?: string } }>('/login', async (req, reply) => {
    if (!o.oauth) return html(reply, 503, messagePage('Login is not set up', 'This Mixtape has no Discord login: its host must set DISCORD_CLIENT_SECRET.'));
    return beginLogin(reply, o.oauth, redirectUri(req), req.query.next ?? '/', secure);
  });

  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>('/auth/callback', async (req, reply) => {
    if (!o.oauth) return html(reply, 503, messagePage('Login is not set up', 'This Mixtape has no Discord login.'));
    const next = checkState(req, reply, req.query.state);
    if (!next) return html(reply, 400, messagePage('Login failed', 'The login could not be checked (it expired or did not start here). Please log in again.'));
    if (req.query.error || !req.query.code) return html(reply, 400, messagePage('Login cancelled', 'Discord did not confirm the login.'));
    let who;
    try {
      who = await finishLogin(o.oauth, req.query.code, redirectUri(req));
    } catch (e) {
      o.log.warn({ err: (e as Error).message }, 'discord login failed');
      return html(reply, 502, messagePage('Login failed', 'Discord did not complete the login. Please try again.'));
    }
    writeSession(reply, { ...who, expires: Date.now() + SESSION_MS }, secure);
    o.log.info({ userId: who.userId, guilds: who.guilds.length }, 'web login');
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (_req, reply) => {
    clearSession(reply);
    return reply.redirect('/', 303);
  });

  return app;
}

/** Starts the web server on a port (0 = any free one); resolves with its address. */
export async function startWebServer(o: WebOptions & { port: number; host?: string }): Promise<{ app: FastifyInstance; url: string }> {
  const app = await createWebServer(o);
  const address = await app.listen({ port: o.port, host: o.host ?? '0.0.0.0' });
  const port = (app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  o.log.info({ port, address: address.replace(/\/\/[^:]+:/, '//host:') }, 'web server listening');
  return { app, url };
}
