/**
 * Discord login (OAuth2 authorization code flow, scopes `identify guilds`) and sessions in
 * signed cookies: the cookie holds who you are, the servers you were in at login and an expiry,
 * signed with SESSION_SECRET (HMAC-SHA256 by @fastify/cookie). The OAuth `state` is a random
 * value kept in its own short-lived signed cookie and compared on the way back. Tokens from
 * Discord are used once to read the user and their servers and never stored or logged.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie'; // its request/reply cookie methods

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** e.g. https://discord.com/oauth2/authorize */
  authorizeUrl: string;
  /** REST base, e.g. https://discord.com/api (token at /oauth2/token, user at /v10/users/@me). */
  apiUrl: string;
}

export interface Session {
  userId: string;
  name: string;
  /** Servers the member was in when they logged in. */
  guilds: string[];
  /** Milliseconds since the epoch. */
  expires: number;
}

export const SESSION_COOKIE = 'mt_session';
const STATE_COOKIE = 'mt_oauth';
/** A login lasts a day: server membership is read again at the next login. */
export const SESSION_MS = 24 * 60 * 60 * 1000;
const STATE_MS = 10 * 60 * 1000;
/** Most servers kept in a session (Discord lists at most 200): 8 bytes each in the cookie. */
const MAX_GUILDS = 200;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

/** Server ids packed as 64-bit numbers (a cookie has about 4 KB). @example unpackIds(packIds(['1'])) // ['1'] */
export function packIds(ids: string[]): string {
  const buf = Buffer.alloc(8 * ids.length);
  ids.forEach((id, i) => buf.writeBigUInt64BE(BigInt(id), 8 * i));
  return buf.toString('base64url');
}
export function unpackIds(packed: string): string[] {
  const buf = Buffer.from(packed, 'base64url');
  const out: string[] = [];
  for (let i = 0; i + 8 <= buf.length; i += 8) out.push(buf.readBigUInt64BE(i).toString());
  return out;
}

/** Cookie options: HttpOnly, SameSite=Lax (a cross-site form cannot vote), Secure on https. */
const cookieOptions = (secure: boolean, maxAgeMs: number) => ({
  path: '/', httpOnly: true, sameSite: 'lax' as const, secure, signed: true, maxAge: Math.floor(maxAgeMs / 1000),
});

/** The session of a request, or null (no cookie, bad signature, expired). */
export function readSession(req: FastifyRequest): Session | null {
  const raw = req.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const un = req.unsignCookie(raw);
  if (!un.valid || !un.value) return null;
  try {
    const v = JSON.parse(unb64(un.value)) as { u: string; n: string; g: string; e: number };
    if (typeof v.u !== 'string' || typeof v.e !== 'number' || v.e < Date.now()) return null;
    return { userId: v.u, name: String(v.n ?? ''), guilds: unpackIds(String(v.g ?? '')), expires: v.e };
  } catch {
    return null;
  }
}

export function writeSession(reply: FastifyReply, s: Session, secure: boolean): void {
  const value = b64(JSON.stringify({ u: s.userId, n: s.name.slice(0, 64), g: packIds(s.guilds.slice(0, MAX_GUILDS)), e: s.expires }));
  reply.setCookie(SESSION_COOKIE, value, cookieOptions(secure, s.expires - Date.now()));
}

export const clearSession = (reply: FastifyReply): void => void reply.clearCookie(SESSION_COOKIE, { path: '/' });

/** Only same-site paths are followed after login (no open redirect). @example safeNext('//evil') // '/' */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length < 500 ? next : '/';

/** Starts a login: remembers a fresh `state` and where to return, and sends the browser to Discord. */
export function beginLogin(reply: FastifyReply, oauth: OAuthConfig, redirectUri: string, next: string, secure: boolean): FastifyReply {
  const state = randomBytes(24).toString('base64url');
  reply.setCookie(STATE_COOKIE, b64(JSON.stringify({ s: state, n: safeNext(next), e: Date.now() + STATE_MS })), cookieOptions(secure, STATE_MS));
  const url = new URL(oauth.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: oauth.clientId, scope: 'identify guilds', state, redirect_uri: redirectUri, prompt: 'none',
  }).toString();
  return reply.redirect(url.toString(), 302);
}

/** Checks the returned `state` against the cookie; the `next` path when it matches, null otherwise. */
export function checkState(req: FastifyRequest, reply: FastifyReply, state: unknown): string | null {
  const raw = req.cookies[STATE_COOKIE];
  reply.clearCookie(STATE_COOKIE, { path: '/' });
  if (!raw || typeof state !== 'string') return null;
  const un = req.unsignCookie(raw);
  if (!un.valid || !un.value) return null;
  try {
    const v = JSON.parse(unb64(un.value)) as { s: string; n: string; e: number };
    const a = Buffer.from(String(v.s));
    const b = Buffer.from(state);
    if (v.e < Date.now() || a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return safeNext(v.n);
  } catch {
    return null;
  }
}

/** Trades the code for a token, reads the user and their servers; the token is then dropped. */
export async function finishLogin(oauth: OAuthConfig, code: string, redirectUri: string): Promise<Omit<Session, 'expires'>> {
  const tokenRes = await fetch(`${oauth.apiUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: oauth.clientId, client_secret: oauth.clientSecret }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!tokenRes.ok) throw new Error(`Discord refused the login code (HTTP ${tokenRes.status})`);
  const token = (await tokenRes.json()) as { access_token?: string; token_type?: string };
  if (!token.access_token) throw new Error('Discord sent no access token');
  const auth = { authorization: `Bearer ${token.access_token}` };
  const [userRes, guildsRes] = await Promise.all([
    fetch(`${oauth.apiUrl}/v10/users/@me`, { headers: auth, signal: AbortSignal.timeout(10_000) }),
    fetch(`${oauth.apiUrl}/v10/users/@me/guilds`, { headers: auth, signal: AbortSignal.timeout(10_000) }),
  ]);
  if (!userRes.ok || !guildsRes.ok) throw new Error(`Discord did not share the account (HTTP ${userRes.status}/${guildsRes.status})`);
  const user = (await userRes.json()) as { id: string; username: string; global_name?: string | null };
  const guilds = (await guildsRes.json()) as { id: string }[];
  if (!/^\d{5,25}$/.test(String(user.id))) throw new Error('Discord sent an odd user id');
  return {
    userId: user.id,
    name: user.global_name || user.username,
    guilds: guilds.map((g) => String(g.id)).filter((id) => /^\d{5,25}$/.test(id)),
  };
}
