/** Making sure a member's user and guild rows exist before their first track or model. */
import type { Store } from '../storage/types.ts';

const knownMembers = new WeakMap<Store, Set<string>>();

/** Makes sure the user and guild rows exist (once per process and store). */
export async function ensureMember(store: Store, userId: string, userName: string, guildId: string): Promise<void> {
  let known = knownMembers.get(store);
  if (!known) knownMembers.set(store, (known = new Set()));
  const key = `${guildId}/${userId}`;
  if (known.has(key)) return;
  await store.upsertUser(userId, userName);
  await store.upsertGuild(guildId);
  known.add(key);
}
