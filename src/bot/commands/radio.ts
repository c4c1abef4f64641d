/**
 * /radio start|steer: endless music in your voice channel, each piece carrying on from the
 * last one's ending; steer what comes next with /radio steer or 👍/👎 on the piece on air.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { MixtapeError } from '../../engine/errors.ts';
import type { BotCommand, BotContext } from '../types.ts';
import { memberOf } from '../guild.ts';
import { TEMPERATURE, TEMPO, autocompleteCommon, numberOption, pickKnown, randomSeed } from '../options.ts';
import { replyError } from '../replies.ts';
import { RadioSession, type RadioSettings } from '../radio/session.ts';

/** New bars per radio piece. */
export const RADIO_BARS = { min: 2, max: 32, default: 16 } as const;

/** The settings line of a reply. @example describeSettings({ genre: 'jazz', bars: 16 }) // 'jazz · 16 bars a piece' */
export function describeSettings(s: RadioSettings): string {
  return [
    s.genre,
    s.instrument,
    s.temperature !== undefined ? `temperature ${s.temperature.toFixed(2)}` : undefined,
    s.tempo !== undefined ? `${Math.round(s.tempo)} bpm` : undefined,
    `${s.bars} bars a piece`,
  ].filter(Boolean).join(' · ');
}

const instrumentOf = (raw: string | null, ctx: BotContext) => (raw ? pickKnown(raw, ctx.studio.listInstruments(), 'instrument') : undefined);

export const radio: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('radio')
    .setDescription('Endless new music in your voice channel')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName('start').setDescription('Start the radio in your voice channel')
      .addStringOption((o) => o.setName('genre').setDescription('Style of the music').setRequired(true).setAutocomplete(true))
      .addStringOption((o) => o.setName('instrument').setDescription('Instrument to play it').setAutocomplete(true))
      .addNumberOption((o) => o.setName('temperature').setDescription('Adventure: 0.1 safe ... 2 wild (default: the genre\'s)').setMinValue(TEMPERATURE.min).setMaxValue(TEMPERATURE.max))
      .addIntegerOption((o) => o.setName('bars').setDescription(`Bars per piece (${RADIO_BARS.min}-${RADIO_BARS.max}, default ${RADIO_BARS.default})`).setMinValue(RADIO_BARS.min).setMaxValue(RADIO_BARS.max)))
    .addSubcommand((s) => s.setName('steer').setDescription('Change what the radio plays next')
      .addNumberOption((o) => o.setName('temperature').setDescription('Adventure: 0.1 safe ... 2 wild').setMinValue(TEMPERATURE.min).setMaxValue(TEMPERATURE.max))
      .addIntegerOption((o) => o.setName('tempo').setDescription('Beats per minute (40-240)').setMinValue(TEMPO.min).setMaxValue(TEMPO.max))
      .addStringOption((o) => o.setName('genre').setDescription('Style of the next pieces').setAutocomplete(true))
      .addStringOption((o) => o.setName('instrument').setDescription('Instrument of the next pieces').setAutocomplete(true)))
    .toJSON(),

  async execute(i, ctx) {
    const member = memberOf(i);
    if (i.options.getSubcommand() === 'steer') {
      const session = ctx.radio.get(i.guildId!);
      if (!session) throw new MixtapeError('NOT_FOUND', 'The radio is off. Start it with /radio start.');
      ctx.voice.controlled(member); // only listeners steer
      const genreRaw = i.options.getString('genre');
      const patch: Partial<RadioSettings> = {
        temperature: numberOption(i, 'temperature', TEMPERATURE),
        tempo: numberOption(i, 'tempo', TEMPO, true),
        genre: genreRaw ? pickKnown(genreRaw, ctx.studio.listGenres(), 'genre') : undefined,
        instrument: instrumentOf(i.options.getString('instrument'), ctx),
      };
      if (Object.values(patch).every((v) => v === undefined)) throw new MixtapeError('BAD_ARGUMENT', 'Give at least one of temperature, tempo, genre or instrument.');
      const now = session.steer(patch);
      await i.reply(`🎛️ Steered by <@${i.user.id}>: next pieces are ${describeSettings(now)}.`);
      return;
    }
    const settings: RadioSettings = {
      genre: pickKnown(i.options.getString('genre', true), ctx.studio.listGenres(), 'genre'),
      instrument: instrumentOf(i.options.getString('instrument'), ctx),
      temperature: numberOption(i, 'temperature', TEMPERATURE),
      bars: numberOption(i, 'bars', RADIO_BARS, true) ?? RADIO_BARS.default,
    };
    ctx.voice.memberChannel(member); // not in voice: an ephemeral answer at once
    if (ctx.radio.get(i.guildId!)) throw new MixtapeError('BAD_ARGUMENT', 'The radio is already on. Steer it with /radio steer, or /stop it.');
    const channel = i.channel ?? (await ctx.client.channels.fetch(i.channelId).catch(() => null));
    if (!channel?.isSendable()) throw new MixtapeError('BAD_ARGUMENT', 'I cannot post in this channel. Start the radio from a text channel where I may send messages.');
    await i.deferReply();
    try {
      const existing = ctx.voice.get(i.guildId!);
      if (existing?.current || existing?.queue.length) throw new MixtapeError('BAD_ARGUMENT', 'Something is playing in voice. Use /stop first, then start the radio.');
      const player = await ctx.voice.join(member);
      const session = new RadioSession({
        ctx, player, guildId: i.guildId!, channel, starter: { id: i.user.id, name: i.user.username }, settings, seed: randomSeed(),
        onEnd: () => ctx.radio.ended(session),
      });
      ctx.radio.add(session);
      let title: string;
      try {
        title = await session.start();
      } catch (e) {
        session.close();
        if (!player.current) player.close();
        throw e;
      }
      await i.editReply(`📻 Radio on in <#${player.channelId}>: ${describeSettings(settings)}. First up: **${title}**.\nSteer it with /radio steer or 👍/👎 on the piece on air; /skip for the next piece, /stop to end it.`);
    } catch (e) {
      await replyError(i, e, ctx.log);
    }
  },

  async autocomplete(i, ctx) {
    await autocompleteCommon(i, { genres: () => ctx.studio.listGenres(), instruments: () => ctx.studio.listInstruments(), models: async () => [] });
  },
};
