/** Every guild's radio (at most one each), found by guild; votes on the piece on air steer it. */
import type { RadioSession } from './session.ts';

export class RadioManager {
  private readonly sessions = new Map<string, RadioSession>();

  /** The guild's radio while it is on. */
  get(guildId: string): RadioSession | undefined {
    const s = this.sessions.get(guildId);
    return s && !s.isClosed ? s : undefined;
  }

  /** Remembers a new radio; it removes itself when it ends (see `ended`). */
  add(session: RadioSession): void {
    this.sessions.set(session.guildId, session);
  }

  /** Forgets a radio that ended. */
  ended(session: RadioSession): void {
    if (this.sessions.get(session.guildId) === session) this.sessions.delete(session.guildId);
  }

  /** A vote on a track: steers the guild's radio when that track is on air; the new settings, or null. */
  vote(guildId: string, trackId: string, value: 1 | -1) {
    return this.get(guildId)?.feedback(trackId, value) ?? null;
  }

  /** Stops every radio (shutdown). */
  destroyAll(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}
