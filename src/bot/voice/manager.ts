/**
 * All guilds' players: joining the caller's channel, vote-skip, and leaving when the
 * channel empties (fed by the client's voiceStateUpdate events).
 */
import type { Client, GuildMember, VoiceState } from 'discord.js';
import type { Logger } from 'pino';
import { MixtapeError } from '../../engine/errors.ts';
import { GuildPlayer, type AudioLoader } from './player.ts';

/** Share of listeners whose votes skip a track when others are listening. */
export const SKIP_SHARE = 0.55;

/** Votes needed to skip with `listeners` people listening. @example votesNeeded(1) // 1; votesNeeded(4) // 3 */
export function votesNeeded(listeners: number): number {
  return listeners <= 1 ? 1 : Math.ceil(SKIP_SHARE * listeners);
}

export interface SkipResult {
  skipped: boolean;
  votes: number;
  needed: number;
}

export class VoiceManager {
  private readonly players = new Map<string, GuildPlayer>();
  private readonly client: Client;
  private readonly log: Logger;
  private readonly load: AudioLoader;

  constructor(opts: { client: Client; log: Logger; load: AudioLoader }) {
    this.client = opts.client;
    this.log = opts.log;
    this.load = opts.load;
  }

  /** The guild's player, if one is active. */
  get(guildId: string): GuildPlayer | undefined {
    const p = this.players.get(guildId);
    return p && !p.isClosed ? p : undefined;
  }

  /** The voice channel the member is in; a clear error when none. */
  memberChannel(member: GuildMember): string {
    const channelId = member.voice.channelId;
    if (!channelId) throw new MixtapeError('BAD_ARGUMENT', 'Join a voice channel first, then use this again.');
    return channelId;
  }

  /** The guild's player in the member's channel, joining it when needed. */
  async join(member: GuildMember): Promise<GuildPlayer> {
    const channelId = this.memberChannel(member);
    const existing = this.get(member.guild.id);
    if (existing) {
      if (existing.channelId !== channelId) {
        throw new MixtapeError('BAD_ARGUMENT', `I'm already playing in <#${existing.channelId}>. Join that channel or /stop first.`);
      }
      return existing;
    }
    const player = new GuildPlayer({
      guildId: member.guild.id,
      channelId,
      adapterCreator: member.guild.voiceAdapterCreator,
      load: this.load,
      log: this.log,
      onClose: () => {
        if (this.players.get(member.guild.id) === player) this.players.delete(member.guild.id);
      },
    });
    this.players.set(member.guild.id, player);
    await player.ready();
    return player;
  }

  /** A player the member may control: one exists and they are in its channel. */
  controlled(member: GuildMember): GuildPlayer {
    const player = this.get(member.guild.id);
    if (!player) throw new MixtapeError('NOT_FOUND', 'Nothing is playing right now. Use /play or /mixtape play.');
    if (member.voice.channelId !== player.channelId) {
      throw new MixtapeError('BAD_ARGUMENT', `Join <#${player.channelId}> to control the music.`);
    }
    return player;
  }

  /** Ids of the people (not bots) in the player's channel. */
  listeners(guildId: string): string[] {
    const player = this.get(guildId);
    const guild = this.client.guilds.cache.get(guildId);
    if (!player || !guild) return [];
    return [...guild.voiceStates.cache.values()]
      .filter((s) => s.channelId === player.channelId && s.id !== this.client.user?.id && !s.member?.user.bot)
      .map((s) => s.id);
  }

  /** Records a skip vote; skips when enough listeners agree. */
  voteSkip(member: GuildMember): SkipResult {
    const player = this.controlled(member);
    if (!player.current) throw new MixtapeError('NOT_FOUND', 'Nothing is playing right now.');
    const listeners = this.listeners(member.guild.id);
    player.skipVotes.add(member.id);
    const votes = [...player.skipVotes].filter((id) => listeners.includes(id)).length;
    const needed = votesNeeded(listeners.length);
    if (votes >= needed) {
      player.skip();
      return { skipped: true, votes, needed };
    }
    return { skipped: false, votes, needed };
  }

  /** Leaves when the bot's channel has no listeners left. */
  onVoiceStateUpdate(oldState: VoiceState, newState: VoiceState): void {
    const player = this.get(newState.guild.id);
    if (!player) return;
    if (newState.id === this.client.user?.id && !newState.channelId) {
      player.close(); // disconnected by someone
      return;
    }
    if (oldState.channelId === player.channelId && newState.channelId !== player.channelId && this.listeners(player.guildId).length === 0) {
      this.log.info({ guildId: player.guildId }, 'voice channel is empty; leaving');
      player.close();
    }
  }

  /** Leaves every channel. */
  destroyAll(): void {
    for (const p of this.players.values()) p.close();
    this.players.clear();
  }
}
