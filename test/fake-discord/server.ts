/**
 * A fake Discord for end-to-end tests with the REAL discord.js Client: REST (node:http) for
 * the routes the bot uses, a gateway WebSocket (ws) that can dispatch interactions and voice
 * states, a fake voice server, and a record of everything the bot sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { WebSocketServer, type WebSocket } from 'ws';
import { snowflake, randomToken } from './ids.ts';
import { FakeVoiceServer } from './voice.ts';

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
}

export interface FakeMessage {
  id: string;
  type: number;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  embeds: any[];
  components: any[];
  attachments: FakeAttachment[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: unknown;
  mentions: []; mention_roles: []; mention_everyone: false; pinned: false; tts: false;
}

/** One thing the bot did in answer to an interaction. */
export interface InteractionResponse {
  at: number;
  kind: 'callback' | 'edit' | 'followup' | 'delete';
  /** Interaction callback type (4 reply, 5 defer, 6 defer update, 7 update, 8 autocomplete). */
  type?: number;
  body: any;
  files: RecordedFile[];
  messageId?: string;
}

export interface RecordedFile {
  field: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface FakeInteraction {
  id: string;
  token: string;
  type: number;
  userId: string;
  /** When the fake dispatched it (ms since epoch). */
  sentAt: number;
  payload: any;
  responses: InteractionResponse[];
  originalMessageId?: string;
  followupIds: string[];
}

export interface SlashOptions {
  [name: string]: string | number | boolean | { attachment: FakeAttachment };
}

const ADMIN = (1n << 3n).toString();
const MEMBER_PERMS = ((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 20n) | (1n << 21n) | (1n << 31n)).toString();
const EPHEMERAL = 64;

/** A guild's ids in the fake. */
export interface FakeGuildIds {
  guildId: string;
  textChannelId: string;
  voiceChannelId: string;
  musicChannelId: string;
}

/** The shard that owns a guild, as Discord routes it. @example shardOf('81384788765712384', 2) // 0 */
export const shardOf = (guildId: string, count: number): number => Number((BigInt(guildId) >> 22n) % BigInt(count));

export class FakeDiscord extends EventEmitter {
  readonly appId = snowflake();
  readonly guildId = snowflake();
  readonly textChannelId = snowflake();
  readonly voiceChannelId = snowflake();
  /** A second text channel ('music'), e.g. for a server's mixtape channel setting. */
  readonly musicChannelId = snowflake();
  readonly botUser: FakeUser = { id: this.appId, username: 'mixtape', global_name: null, discriminator: '0', avatar: null, bot: true };
  readonly users = new Map<string, FakeUser>();
  readonly admins = new Set<string>();
  /** Permissions Discord computes for a member's interactions (channel overwrites included), when not the defaults. */
  readonly permissions = new Map<string, bigint>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly byToken = new Map<string, FakeInteraction>();
  /** Every REST call, in order. */
  readonly calls: { at: number; method: string; path: string }[] = [];
  /** Registered commands: key 'global' or a guild id. */
  readonly commands = new Map<string, any[]>();
  readonly commandPuts: { at: number; scope: string }[] = [];
  /** Files the fake serves at /attachments/...; fetches counts downloads. */
  readonly served = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly fetches = new Map<string, number>();
  /** userId -> voice channel id. */
  readonly voiceStates = new Map<string, string>();
  readonly voice = new FakeVoiceServer();
  /** Gateway opcodes the bot sent (e.g. 4 = voice state update). */
  readonly gatewayOps: { op: number; d: any }[] = [];
  /** OAuth2: the application's client secret the token endpoint wants. */
  readonly clientSecret = randomToken();
  /** OAuth2: the user "logged in at Discord" who approves the next authorization (null: none, refused). */
  oauthUserId: string | null = null;
  /** OAuth2: servers per user for /users/@me/guilds (default: the fake's one guild for its users). */
  readonly userGuilds = new Map<string, string[]>();
  /** OAuth2: every authorization request the browser made (scopes, state, redirect). */
  readonly oauthRequests: { scope: string; state: string; redirectUri: string; clientId: string }[] = [];
  private readonly oauthCodes = new Map<string, { userId: string; redirectUri: string }>();
  private readonly accessTokens = new Map<string, string>();
  private http: Server;
  private wss: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private seq = 0;
  port = 0;

  constructor() {
    super();
    this.setMaxListeners(100);
    this.http = createServer((req, res) => {
      this.route(req, res).catch((e) => this.send(res, 400, { message: String(e?.message ?? e), code: 50035 }));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGateway(ws));
    });
    this.voice.onChange(() => this.emit('change'));
  }

  /** Gateway connections open now (a bot process, or one per shard). */
  get connections(): number {
    return this.sockets.size;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.http.listen(0, '127.0.0.1', r));
    this.port = (this.http.address() as { port: number }).port;
    await this.voice.start();
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
    await this.voice.stop();
  }

  /** Adds a guild member. */
  addUser(username: string, opts: { admin?: boolean; permissions?: bigint } = {}): FakeUser {
    const user: FakeUser = { id: snowflake(), username, global_name: username, discriminator: '0', avatar: null };
    this.users.set(user.id, user);
    if (opts.admin) this.admins.add(user.id);
    if (opts.permissions !== undefined) this.permissions.set(user.id, opts.permissions);
    return user;
  }

  /** Serves bytes at a URL of the fake; `declaredSize` lets a test claim a bigger size. */
  attachment(filename: string, bytes: Uint8Array, contentType = 'application/octet-stream', declaredSize?: number): FakeAttachment {
    const id = snowflake();
    const path = `/attachments/${id}/${encodeURIComponent(filename)}`;
    this.served.set(path, { bytes: Buffer.from(bytes), contentType });
    const url = `http://127.0.0.1:${this.port}${path}`;
    return { id, filename, size: declaredSize ?? bytes.length, url, proxy_url: url, content_type: contentType };
  }

  /** How many times a served attachment was downloaded. */
  downloads(a: FakeAttachment): number {
    return this.fetches.get(new URL(a.url).pathname) ?? 0;
  }

  // ---------- dispatching ----------

  /**
   * Sends a gateway dispatch to every connected client; an event of a guild goes only to the
   * connections whose shard owns it, (guild_id >> 22) % shard_count, as Discord routes them.
   */
  dispatch(t: string, d: unknown): void {
    const msg = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    const guildId = (d as { guild_id?: string } | null)?.guild_id;
    for (const ws of this.sockets) {
      const shard = this.socketShards.get(ws);
      if (guildId && shard && shardOf(guildId, shard[1]) !== shard[0]) continue;
      ws.send(msg);
    }
  }

  // ---------- more guilds (sharding) ----------

  /** Guilds besides the default one: id -> channels. */
  private readonly otherGuilds = new Map<string, FakeGuildIds>();
  /** The [shard, count] each gateway connection identified with. */
  private readonly socketShards = new Map<WebSocket, [number, number]>();

  /**
   * Adds a guild (every member is in it) whose id falls on `shard` of `count` shards.
   * Its channels are used like the default ones: `slash(user, cmd, values, g.textChannelId)`.
   */
  addGuild(shard?: number, count = 2): FakeGuildIds {
    let id = BigInt(snowflake());
    if (shard !== undefined) while (Number((id >> 22n) % BigInt(count)) !== shard) id += 1n << 22n;
    const g: FakeGuildIds = { guildId: id.toString(), textChannelId: snowflake(), voiceChannelId: snowflake(), musicChannelId: snowflake() };
    this.otherGuilds.set(g.guildId, g);
    return g;
  }

  /** The default guild's ids. */
  get defaultGuild(): FakeGuildIds {
    return { guildId: this.guildId, textChannelId: this.textChannelId, voiceChannelId: this.voiceChannelId, musicChannelId: this.musicChannelId };
  }

  /** The guild a channel belongs to (the default guild for any unknown channel). */
  guildOfChannel(channelId: string): FakeGuildIds {
    for (const g of this.otherGuilds.values()) if (channelId === g.textChannelId || channelId === g.voiceChannelId || channelId === g.musicChannelId) return g;
    return this.defaultGuild;
  }

  private guildIds(guildId: string): FakeGuildIds {
    return this.otherGuilds.get(guildId) ?? this.defaultGuild;
  }

  /** The key of the bot's own voice state in a guild (the default guild keeps the bot's id, as before). */
  botVoiceKey(guildId: string): string {
    return guildId === this.guildId ? this.botUser.id : `${this.botUser.id}@${guildId}`;
  }

  private member(user: FakeUser): any {
    return {
      user, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null,
      premium_since: null, pending: false, communication_disabled_until: null,
      permissions: this.permissions.get(user.id)?.toString() ?? (this.admins.has(user.id) ? ADMIN : MEMBER_PERMS),
    };
  }

  private interactionBase(type: number, user: FakeUser, data: unknown, channelId = this.textChannelId): FakeInteraction {
    const id = snowflake();
    const token = `tok-${randomToken()}`;
    const gid = this.guildOfChannel(channelId).guildId;
    if (data && typeof data === 'object' && 'guild_id' in data) (data as { guild_id: string }).guild_id = gid;
    const payload = {
      id, application_id: this.appId, type, token, version: 1, data,
      guild_id: gid, channel_id: channelId,
      channel: { ...this.channelPayload(channelId), permissions: MEMBER_PERMS },
      guild: { id: gid, locale: 'en-US', features: [] },
      member: this.member(user), app_permissions: ADMIN, locale: 'en-US', guild_locale: 'en-US',
      entitlements: [], authorizing_integration_owners: { '0': gid }, context: 0, attachment_size_limit: 10485760,
    };
    const it: FakeInteraction = { id, token, type, userId: user.id, sentAt: 0, payload, responses: [], followupIds: [] };
    this.interactions.set(id, it);
    this.byToken.set(token, it);
    return it;
  }

  private send_(it: FakeInteraction): FakeInteraction {
    it.sentAt = Date.now();
    this.dispatch('INTERACTION_CREATE', it.payload);
    return it;
  }

  /** Finds a registered command definition by name (guild first, then global). */
  commandDef(name: string): any {
    const all = [...(this.commands.get(this.guildId) ?? []), ...(this.commands.get('global') ?? [])];
    const def = all.find((c) => c.name === name);
    if (!def) throw new Error(`fake: command /${name} is not registered`);
    return def;
  }

  /** Builds slash options from plain values, typed with the registered definition. */
  private buildOptions(defs: any[], values: SlashOptions, resolved: any, focused?: string): any[] {
    const out: any[] = [];
    for (const [name, value] of Object.entries(values)) {
      const def = defs.find((d) => d.name === name);
      if (!def) throw new Error(`fake: unknown option ${name}`);
      if (def.type === 7 && typeof value === 'string') {
        resolved.channels ??= {};
        resolved.channels[value] = { ...this.channelPayload(value), permissions: MEMBER_PERMS };
        out.push({ name, type: 7, value });
      } else if (typeof value === 'object') {
        resolved.attachments ??= {};
        resolved.attachments[value.attachment.id] = value.attachment;
        out.push({ name, type: 11, value: value.attachment.id });
      } else {
        out.push({ name, type: def.type, value, ...(focused === name ? { focused: true } : {}) });
      }
    }
    return out;
  }

  private commandData(command: string, values: SlashOptions, focused?: string): any {
    const [name, sub] = command.split(' ');
    const def = this.commandDef(name);
    const resolved: any = {};
    let options: any[];
    if (sub) {
      const subDef = def.options.find((o: any) => o.name === sub && o.type === 1);
      if (!subDef) throw new Error(`fake: unknown subcommand ${command}`);
      options = [{ name: sub, type: 1, options: this.buildOptions(subDef.options ?? [], values, resolved, focused) }];
    } else {
      options = this.buildOptions(def.options ?? [], values, resolved, focused);
    }
    return { id: def.id, name, type: 1, guild_id: this.guildId, options, ...(Object.keys(resolved).length ? { resolved } : {}) };
  }

  /** Dispatches a slash command, e.g. `slash(user, 'mixtape top', { period: 'week' })`. */
  slash(user: FakeUser, command: string, values: SlashOptions = {}, channelId = this.textChannelId): FakeInteraction {
    return this.send_(this.interactionBase(2, user, this.commandData(command, values), channelId));
  }

  /** Dispatches an autocomplete request with `focused` being the option typed into. */
  autocomplete(user: FakeUser, command: string, values: SlashOptions, focused: string): FakeInteraction {
    return this.send_(this.interactionBase(4, user, this.commandData(command, values, focused)));
  }

  /** Dispatches a button click on a message. */
  click(user: FakeUser, messageId: string, customId: string): FakeInteraction {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`fake: no message ${messageId}`);
    const it = this.interactionBase(3, user, { custom_id: customId, component_type: 2 }, message.channel_id);
    it.payload.message = message;
    return this.send_(it);
  }

  /** Puts a user into (or, with null, out of) the voice channel and tells the bot. */
  setVoice(user: FakeUser, channelId: string | null): void {
    // Leaving: the guild of the channel the member was in.
    const was = this.voiceStates.get(user.id);
    const guildId = (channelId ?? was) ? this.guildOfChannel((channelId ?? was)!).guildId : this.guildId;
    if (channelId) this.voiceStates.set(user.id, channelId);
    else this.voiceStates.delete(user.id);
    this.dispatch('VOICE_STATE_UPDATE', this.voiceState(user, channelId, 'sess-' + user.id, guildId));
  }

  private voiceState(user: FakeUser, channelId: string | null, sessionId: string, guildId?: string): any {
    return {
      guild_id: guildId ?? (channelId ? this.guildOfChannel(channelId).guildId : this.guildId), channel_id: channelId, user_id: user.id, member: this.member(user), session_id: sessionId,
      deaf: false, mute: false, self_deaf: false, self_mute: false, self_video: false, suppress: false, request_to_speak_timestamp: null,
    };
  }

  // ---------- waiting and reading ----------

  /** Resolves when `pred()` is truthy (checked after every change and every 25 ms); rejects after `ms`. */
  waitFor<T>(pred: () => T | undefined | null | false, ms = 10000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let v: T | undefined | null | false;
        try { v = pred(); } catch { v = undefined; }
        if (v) { cleanup(); resolve(v); }
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`fake: timed out waiting for ${what}`)); }, ms);
      const poll = setInterval(check, 25); // for state outside the fake (the bot's cache)
      const cleanup = () => { clearTimeout(timer); clearInterval(poll); this.off('change', check); };
      this.on('change', check);
      check();
    });
  }

  /** The interaction's original response message, if any. */
  original(it: FakeInteraction): FakeMessage | undefined {
    return it.originalMessageId ? this.messages.get(it.originalMessageId) : undefined;
  }

  /** Text of the ephemeral answer the user got (reply, edit of an ephemeral defer, or ephemeral follow-up). */
  ephemeral(it: FakeInteraction): string | undefined {
    const original = this.original(it);
    const text = (m: FakeMessage) => m.content || m.embeds[0]?.description;
    if (original && original.flags & EPHEMERAL && text(original)) return text(original);
    for (const id of it.followupIds) {
      const m = this.messages.get(id);
      if (m && m.flags & EPHEMERAL) return text(m);
    }
    return undefined;
  }

  /** Milliseconds from dispatch to the first callback. */
  firstResponseMs(it: FakeInteraction): number | undefined {
    const first = it.responses.find((r) => r.kind === 'callback');
    return first ? first.at - it.sentAt : undefined;
  }

  // ---------- gateway ----------

  private onGateway(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => { this.sockets.delete(ws); this.socketShards.delete(ws); });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { op: number; d: any };
      this.gatewayOps.push(msg);
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (msg.op === 2) this.identify(ws, msg.d?.shard);
      else if (msg.op === 4) this.botVoice(msg.d);
      this.emit('change');
    });
  }

  private identify(ws: WebSocket, shard?: [number, number]): void {
    const sessionId = randomToken();
    const [id, count] = Array.isArray(shard) && shard.length === 2 ? shard : [0, 1];
    this.socketShards.set(ws, [id, count]);
    const guilds = [this.guildId, ...this.otherGuilds.keys()].filter((g) => shardOf(g, count) === id);
    const ready = {
      v: 10, user: this.botUser, guilds: guilds.map((g) => ({ id: g, unavailable: true })), session_id: sessionId,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`, application: { id: this.appId, flags: 0 }, shard: [id, count],
      private_channels: [], relationships: [], user_settings: {},
    };
    ws.send(JSON.stringify({ op: 0, t: 'READY', s: ++this.seq, d: ready }));
    for (const g of guilds) ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guildPayload(g) }));
  }

  private guildPayload(guildId = this.guildId): any {
    const ids = this.guildIds(guildId);
    const members = [this.botUser, ...this.users.values()].map((u) => this.member(u));
    const voiceStates = [...this.voiceStates]
      .filter(([, cid]) => this.guildOfChannel(cid).guildId === guildId)
      .map(([key, cid]) => { const uid = key.split('@')[0]; return this.voiceState(uid === this.botUser.id ? this.botUser : this.users.get(uid)!, cid, 'sess-' + uid, guildId); });
    return {
      id: guildId, name: 'Fake Guild', icon: null, owner_id: snowflake(), afk_channel_id: null, afk_timeout: 300,
      verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0, mfa_level: 0, nsfw_level: 0,
      premium_tier: 0, premium_subscription_count: 0, preferred_locale: 'en-US', features: [], system_channel_flags: 0,
      roles: [{ id: guildId, name: '@everyone', permissions: MEMBER_PERMS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      emojis: [], stickers: [], joined_at: new Date(0).toISOString(), large: false, unavailable: false, member_count: members.length,
      members, voice_states: voiceStates, presences: [], threads: [], stage_instances: [], guild_scheduled_events: [],
      channels: [
        { id: ids.textChannelId, type: 0, guild_id: guildId, name: 'general', position: 0, permission_overwrites: [], parent_id: null, nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0 },
        { id: ids.musicChannelId, type: 0, guild_id: guildId, name: 'music', position: 2, permission_overwrites: [], parent_id: null, nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0 },
        { id: ids.voiceChannelId, type: 2, guild_id: guildId, name: 'Lounge', position: 1, permission_overwrites: [], parent_id: null, bitrate: 64000, user_limit: 0, rtc_region: null, nsfw: false },
      ],
    };
  }

  /** The bot asked (op 4) to join or leave a voice channel. */
  private botVoice(d: { guild_id: string; channel_id: string | null }): void {
    const sessionId = 'bot-session';
    if (d.channel_id) this.voiceStates.set(this.botVoiceKey(d.guild_id), d.channel_id);
    else this.voiceStates.delete(this.botVoiceKey(d.guild_id));
    this.dispatch('VOICE_STATE_UPDATE', this.voiceState(this.botUser, d.channel_id, sessionId, d.guild_id));
    if (d.channel_id) {
      this.dispatch('VOICE_SERVER_UPDATE', { guild_id: d.guild_id, token: randomToken(), endpoint: this.voice.endpoint });
    }
  }

  // ---------- REST ----------

  private send(res: ServerResponse, status: number, body?: unknown): void {
    if (body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async readBody(req: IncomingMessage): Promise<{ json: any; files: RecordedFile[] }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const buf = Buffer.concat(chunks);
    const ct = req.headers['content-type'] ?? '';
    if (ct.startsWith('multipart/form-data')) {
      const form = await new Response(buf, { headers: { 'content-type': ct } }).formData();
      let json: any = {};
      const files: RecordedFile[] = [];
      for (const [field, value] of form.entries()) {
        if (field === 'payload_json') json = JSON.parse(String(value));
        else if (typeof value !== 'string') {
          files.push({ field, name: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
        }
      }
      return { json, files };
    }
    return { json: buf.length ? JSON.parse(buf.toString()) : undefined, files: [] };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/attachments/')) return this.serveAttachment(path, res);
    if (path === '/oauth2/authorize' || path === '/api/oauth2/token' || (req.headers.authorization ?? '').startsWith('Bearer ')) return this.oauth(req, res, url);
    const { json, files } = await this.readBody(req);
    this.calls.push({ at: Date.now(), method, path });
    const p = path.replace(/^\/api\/v\d+/, '').split('/').filter(Boolean).map(decodeURIComponent);
    const m = (pattern: string) => matchRoute(pattern, p);
    let r: Record<string, string> | null;
    try {
      if (method === 'GET' && (r = m('gateway/bot'))) {
        return this.send(res, 200, { url: `ws://127.0.0.1:${this.port}`, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
      }
      if (method === 'GET' && m('gateway')) return this.send(res, 200, { url: `ws://127.0.0.1:${this.port}` });
      if (method === 'GET' && m('users/@me')) return this.send(res, 200, this.botUser);
      if (method === 'GET' && m('applications/@me')) return this.send(res, 200, { id: this.appId, name: 'mixtape', flags: 0, bot_public: true });
      if ((r = m('applications/:app/commands')) || (r = m('applications/:app/guilds/:guild/commands'))) {
        const scope = r.guild ?? 'global';
        if (method === 'PUT') {
          const defs = (json as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.appId, version: snowflake(), ...(r!.guild ? { guild_id: r!.guild } : {}) }));
          this.commands.set(scope, defs);
          this.commandPuts.push({ at: Date.now(), scope });
          return this.ok(res, 200, defs);
        }
        if (method === 'GET') return this.send(res, 200, this.commands.get(scope) ?? []);
      }
      if (method === 'POST' && (r = m('interactions/:id/:token/callback'))) return this.callback(r.id, r.token, json, files, url, res);
      if ((r = m('webhooks/:app/:token/messages/:mid'))) return this.webhookMessage(method, r.token, r.mid, json, files, res);
      if (method === 'POST' && (r = m('webhooks/:app/:token'))) return this.followup(r.token, json, files, res);
      if (method === 'GET' && (r = m('channels/:cid'))) return this.send(res, 200, this.channelPayload(r.cid));
      if ((r = m('channels/:cid/messages/:mid'))) return this.channelMessage(method, r.cid, r.mid, json, files, res);
      if (method === 'POST' && (r = m('channels/:cid/messages'))) {
        const msg = this.newMessage(r.cid, json, files, 0);
        return this.ok(res, 200, msg);
      }
      if (method === 'GET' && (r = m('guilds/:gid/members/:uid'))) {
        const u = r.uid === this.botUser.id ? this.botUser : this.users.get(r.uid);
        return u ? this.send(res, 200, this.member(u)) : this.send(res, 404, { message: 'Unknown Member', code: 10007 });
      }
      return this.send(res, 404, { message: `fake: no route ${method} ${path}`, code: 0 });
    } finally {
      this.emit('change');
    }
  }

  /** Discord's OAuth2 authorization code flow: authorize page, token endpoint, and the Bearer API. */
  private async oauth(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    this.calls.push({ at: Date.now(), method: req.method ?? 'GET', path });
    if (path === '/oauth2/authorize') {
      const q = url.searchParams;
      const request = { scope: q.get('scope') ?? '', state: q.get('state') ?? '', redirectUri: q.get('redirect_uri') ?? '', clientId: q.get('client_id') ?? '' };
      this.oauthRequests.push(request);
      if (q.get('response_type') !== 'code' || request.clientId !== this.appId || !request.redirectUri) return this.send(res, 400, { error: 'invalid_request' });
      const back = new URL(request.redirectUri);
      if (!this.oauthUserId) back.searchParams.set('error', 'access_denied');
      else {
        const code = randomToken();
        this.oauthCodes.set(code, { userId: this.oauthUserId, redirectUri: request.redirectUri });
        back.searchParams.set('code', code);
      }
      if (request.state) back.searchParams.set('state', request.state);
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (path === '/api/oauth2/token') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const grant = this.oauthCodes.get(form.get('code') ?? '');
      if (form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== this.appId || form.get('client_secret') !== this.clientSecret || !grant || grant.redirectUri !== form.get('redirect_uri')) {
        return this.send(res, 400, { error: 'invalid_grant' });
      }
      this.oauthCodes.delete(form.get('code')!); // a code works once
      const token = randomToken();
      this.accessTokens.set(token, grant.userId);
      return this.send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 604800, refresh_token: randomToken(), scope: 'identify guilds' });
    }
    const userId = this.accessTokens.get((req.headers.authorization ?? '').slice('Bearer '.length));
    const user = userId ? this.users.get(userId) : undefined;
    if (!user) return this.send(res, 401, { message: '401: Unauthorized', code: 0 });
    const p = path.replace(/^\/api\/v\d+/, '');
    if (p === '/users/@me') return this.send(res, 200, user);
    if (p === '/users/@me/guilds') {
      const guilds = this.userGuilds.get(user.id) ?? [this.guildId];
      return this.send(res, 200, guilds.map((id) => ({ id, name: `guild ${id}`, icon: null, owner: false, permissions: '0', features: [] })));
    }
    return this.send(res, 404, { message: `fake: no OAuth route ${path}`, code: 0 });
  }

  private ok(res: ServerResponse, status: number, body: unknown): void {
    this.send(res, status, body);
  }

  private serveAttachment(path: string, res: ServerResponse): void {
    const file = this.served.get(path);
    this.fetches.set(path, (this.fetches.get(path) ?? 0) + 1);
    if (!file) return this.send(res, 404, { message: 'Not Found', code: 0 });
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  private channelPayload(cid: string): any {
    const g = this.guildOfChannel(cid);
    if (cid === g.voiceChannelId) return { id: cid, type: 2, guild_id: g.guildId, name: 'Lounge', bitrate: 64000, user_limit: 0 };
    return { id: cid, type: 0, guild_id: g.guildId, name: cid === g.musicChannelId ? 'music' : 'general', position: 0, permission_overwrites: [] };
  }

  /** Applies a message body (content, embeds, components, attachments + uploaded files). */
  private applyMessage(msg: FakeMessage, body: any, files: RecordedFile[]): void {
    if (!body) return;
    if ('content' in body) msg.content = body.content ?? '';
    if ('embeds' in body) msg.embeds = body.embeds ?? [];
    if ('components' in body) msg.components = body.components ?? [];
    if ('flags' in body && body.flags !== undefined) msg.flags = (msg.flags & ~(1 << 7)) | body.flags;
    if (files.length || 'attachments' in body) {
      const kept = (body.attachments ?? [])
        .map((a: any) => msg.attachments.find((x) => x.id === String(a.id)))
        .filter(Boolean) as FakeAttachment[];
      const uploaded = files.map((f) => this.attachment(f.name, f.bytes, f.contentType));
      msg.attachments = [...kept, ...uploaded];
    }
  }

  private newMessage(channelId: string, body: any, files: RecordedFile[], flags: number, it?: FakeInteraction): FakeMessage {
    const msg: FakeMessage = {
      id: snowflake(), type: it ? 20 : 0, channel_id: channelId, guild_id: this.guildOfChannel(channelId).guildId, author: this.botUser, content: '',
      embeds: [], components: [], attachments: [], flags, timestamp: new Date().toISOString(), edited_timestamp: null,
      mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false,
      ...(it ? { webhook_id: this.appId, application_id: this.appId } : {}),
    };
    this.applyMessage(msg, body, files);
    this.messages.set(msg.id, msg);
    return msg;
  }

  private callback(id: string, token: string, body: any, files: RecordedFile[], url: URL, res: ServerResponse): void {
    const it = this.interactions.get(id);
    if (!it || it.token !== token) return this.send(res, 404, { message: 'Unknown interaction', code: 10062 });
    if (it.responses.some((r) => r.kind === 'callback')) {
      return this.send(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    }
    const type = body?.type as number;
    const data = body?.data ?? {};
    let messageId: string | undefined;
    if (type === 4 || type === 5) {
      const flags = (data.flags ?? 0) | (type === 5 ? 1 << 7 : 0);
      messageId = this.newMessage(it.payload.channel_id, type === 4 ? data : { flags: data.flags }, type === 4 ? files : [], flags, it).id;
      if (type === 5) this.messages.get(messageId)!.flags = flags;
      it.originalMessageId = messageId;
    } else if (type === 6 || type === 7) {
      messageId = it.payload.message?.id;
      it.originalMessageId = messageId;
      if (type === 7 && messageId) {
        const msg = this.messages.get(messageId)!;
        this.applyMessage(msg, data, files);
        msg.edited_timestamp = new Date().toISOString();
      }
    }
    it.responses.push({ at: Date.now(), kind: 'callback', type, body, files, messageId });
    if (url.searchParams.get('with_response') === 'true') {
      const message = messageId ? this.messages.get(messageId) : undefined;
      return this.send(res, 200, { interaction: { id, type: it.type, response_message_id: messageId, response_message_loading: type === 5, response_message_ephemeral: Boolean((data.flags ?? 0) & EPHEMERAL) }, resource: { type, message } });
    }
    this.send(res, 204);
  }

  private webhookMessage(method: string, token: string, mid: string, body: any, files: RecordedFile[], res: ServerResponse): void {
    const it = this.byToken.get(token);
    if (!it) return this.send(res, 404, { message: 'Unknown Webhook', code: 10015 });
    const id = mid === '@original' ? it.originalMessageId : mid;
    const msg = id ? this.messages.get(id) : undefined;
    if (!msg) return this.send(res, 404, { message: 'Unknown Message', code: 10008 });
    if (method === 'GET') return this.send(res, 200, msg);
    if (method === 'DELETE') {
      this.messages.delete(msg.id);
      it.responses.push({ at: Date.now(), kind: 'delete', body: undefined, files: [], messageId: msg.id });
      return this.send(res, 204);
    }
    if (method === 'PATCH') {
      this.applyMessage(msg, body, files);
      msg.flags &= ~(1 << 7); // no longer "thinking"
      msg.edited_timestamp = new Date().toISOString();
      it.responses.push({ at: Date.now(), kind: 'edit', body, files, messageId: msg.id });
      return this.send(res, 200, msg);
    }
    this.send(res, 405, { message: 'Method not allowed', code: 0 });
  }

  private followup(token: string, body: any, files: RecordedFile[], res: ServerResponse): void {
    const it = this.byToken.get(token);
    if (!it) return this.send(res, 404, { message: 'Unknown Webhook', code: 10015 });
    if (!it.responses.some((r) => r.kind === 'callback')) return this.send(res, 400, { message: 'Interaction not acknowledged', code: 40060 });
    const msg = this.newMessage(it.payload.channel_id, body, files, body?.flags ?? 0, it);
    it.followupIds.push(msg.id);
    it.responses.push({ at: Date.now(), kind: 'followup', body, files, messageId: msg.id });
    this.send(res, 200, msg);
  }

  private channelMessage(method: string, cid: string, mid: string, body: any, files: RecordedFile[], res: ServerResponse): void {
    const msg = this.messages.get(mid);
    if (!msg || msg.channel_id !== cid) return this.send(res, 404, { message: 'Unknown Message', code: 10008 });
    if (method === 'GET') return this.send(res, 200, msg);
    if (method === 'PATCH') {
      this.applyMessage(msg, body, files);
      msg.edited_timestamp = new Date().toISOString();
      return this.send(res, 200, msg);
    }
    if (method === 'DELETE') {
      this.messages.delete(mid);
      return this.send(res, 204);
    }
    this.send(res, 405, { message: 'Method not allowed', code: 0 });
  }
}

/** Matches 'a/:x/b' against path parts; returns the params or null. */
function matchRoute(pattern: string, parts: string[]): Record<string, string> | null {
  const pp = pattern.split('/');
  if (pp.length !== parts.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < pp.length; i++) {
    if (pp[i].startsWith(':')) out[pp[i].slice(1)] = parts[i];
    else if (pp[i] !== parts[i]) return null;
  }
  return out;
}
