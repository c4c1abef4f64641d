/**
 * How a finished piece looks on Discord: an embed with the piano roll, the audio and MIDI
 * files, and the buttons (vote up/down, play, variation, extend). Pure builders.
 */
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  type APIEmbed,
} from 'discord.js';
import type { ComposeResult } from '../studio/types.ts';
import type { TrackRecord, VoteTally } from '../storage/types.ts';

/** Button custom id prefix and actions: `mt:<action>:<trackId>`. */
export const BUTTON_PREFIX = 'mt';
export type TrackAction = 'up' | 'down' | 'play' | 'var' | 'ext';

/** The custom id of a track button. @example buttonId('up', 'abc') // 'mt:up:abc' */
export const buttonId = (action: TrackAction, trackId: string): string => `${BUTTON_PREFIX}:${action}:${trackId}`;

/** Parses a track button id; null when it is not one. @example parseButtonId('mt:up:abc') // { action: 'up', trackId: 'abc' } */
export function parseButtonId(id: string): { action: TrackAction; trackId: string } | null {
  const m = /^mt:(up|down|play|var|ext):(.+)$/.exec(id);
  return m ? { action: m[1] as TrackAction, trackId: m[2] } : null;
}

/** A file-name friendly version of a title. @example slug('Blue Moon #3') // 'blue-moon-3' */
export function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48) || 'mixtape';
}

/** The score line. @example scoreText({ up: 3, down: 1, score: 2 }) // '+2 (👍 3 · 👎 1)' */
export function scoreText(t: VoteTally): string {
  return `${t.score > 0 ? '+' : ''}${t.score} (👍 ${t.up} · 👎 ${t.down})`;
}

/** The button row of a track, labels showing the votes. */
export function trackButtons(trackId: string, t: VoteTally): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(buttonId('up', trackId)).setStyle(ButtonStyle.Success).setEmoji('👍').setLabel(String(t.up)),
    new ButtonBuilder().setCustomId(buttonId('down', trackId)).setStyle(ButtonStyle.Danger).setEmoji('👎').setLabel(String(t.down)),
    new ButtonBuilder().setCustomId(buttonId('play', trackId)).setStyle(ButtonStyle.Primary).setEmoji('▶️').setLabel('Play'),
    new ButtonBuilder().setCustomId(buttonId('var', trackId)).setStyle(ButtonStyle.Secondary).setEmoji('🎲').setLabel('Variation'),
    new ButtonBuilder().setCustomId(buttonId('ext', trackId)).setStyle(ButtonStyle.Secondary).setEmoji('➕').setLabel('Extend'),
  );
}

/**
 * The track message's rows: the buttons, and an "Open" link to the track's web page when the
 * web is served (a second row: Discord allows five buttons per row).
 */
export function trackComponents(trackId: string, t: VoteTally, webUrl?: string): ActionRowBuilder<ButtonBuilder>[] {
  const rows = [trackButtons(trackId, t)];
  if (webUrl) {
    rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(`${webUrl.replace(/\/+$/, '')}/t/${trackId}`).setEmoji('🌐').setLabel('Open'),
    ));
  }
  return rows;
}

/** Seconds as m:ss. @example clock(75) // '1:15' */
export const clock = (s: number): string => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/** The embed of a track. */
export function trackEmbed(track: TrackRecord, result: Pick<ComposeResult, 'modelName' | 'durationSeconds'>, t: VoteTally): EmbedBuilder {
  const model = result.modelName ? ` · model **${result.modelName}**` : '';
  return new EmbedBuilder()
    .setTitle(track.title)
    .setColor(0x8e44ad)
    .setDescription(`Genre **${track.genre}**${model} · ${track.instrument}`)
    .addFields(
      { name: 'Bars', value: String(track.bars), inline: true },
      { name: 'Tempo', value: `${Math.round(track.tempo)} bpm`, inline: true },
      { name: 'Length', value: clock(result.durationSeconds), inline: true },
      { name: 'Seed', value: String(track.seed), inline: true },
      { name: 'Temperature', value: track.temperature.toFixed(2), inline: true },
      { name: 'Author', value: `<@${track.authorId}>`, inline: true },
      { name: 'Score', value: scoreText(t), inline: false },
    )
    .setImage('attachment://roll.png')
    .setFooter({ text: `track ${track.id}${track.parentTrackId ? ` · from ${track.parentTrackId}` : ''}` });
}

/** Discord's upload limit per file without boosts. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The files of a track message: audio (when under the upload limit), MIDI and the piano roll. */
export function trackFiles(track: TrackRecord, result: Pick<ComposeResult, 'audio' | 'midi' | 'png'>): AttachmentBuilder[] {
  const base = slug(track.title);
  const files = result.audio.filter((a) => a.bytes.length <= MAX_UPLOAD_BYTES).map((a) => new AttachmentBuilder(Buffer.from(a.bytes), { name: `${base}.${a.format}` }));
  files.push(new AttachmentBuilder(Buffer.from(result.midi), { name: `${base}.mid` }));
  files.push(new AttachmentBuilder(Buffer.from(result.png), { name: 'roll.png' }));
  return files;
}

/** The whole message of a new track. */
export function trackMessage(track: TrackRecord, result: ComposeResult, t: VoteTally, webUrl?: string) {
  const tooBig = result.audio.some((a) => a.bytes.length > MAX_UPLOAD_BYTES);
  return {
    content: tooBig ? 'The audio is too large to attach here: press ▶️ Play to hear it in voice.' : '',
    embeds: [trackEmbed(track, result, t)],
    components: trackComponents(track.id, t, webUrl),
    files: trackFiles(track, result),
  };
}

/** The embed with its score field replaced (after a vote). */
export function withScore(embed: APIEmbed | undefined, t: VoteTally): EmbedBuilder {
  const e = EmbedBuilder.from(embed ?? {});
  const fields = (embed?.fields ?? []).filter((f) => f.name !== 'Score');
  return e.setFields(...fields, { name: 'Score', value: scoreText(t), inline: false });
}

/** A link to a message. */
export const messageLink = (guildId: string, channelId: string, messageId: string): string =>
  `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
