/** Snowflake ids for the fake Discord: increasing, unique within the process. */

const DISCORD_EPOCH = 1420070400000n;
let last = 0n;

/** A new snowflake string, always larger than the previous one. @example snowflake() // '1234567890123456789' */
export function snowflake(): string {
  const now = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  last = now > last ? now : last + 1n;
  return last.toString();
}

/** A random token-like string (interaction tokens, voice tokens). */
export function randomToken(): string {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
