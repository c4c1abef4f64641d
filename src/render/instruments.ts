/** Named instruments: what a user may type (/compose instrument:...) -> General MIDI program. */
import { MixtapeError } from '../engine/errors.ts';

export interface Instrument {
  name: string;
  /** General MIDI program 0..127 (0-based). Ignored for drums. */
  program: number;
  isDrum: boolean;
  aliases: string[];
}

const def = (name: string, program: number, aliases: string[] = [], isDrum = false): Instrument => ({ name, program, isDrum, aliases });

/** Every instrument, canonical name first. */
export const INSTRUMENTS: readonly Instrument[] = [
  def('piano', 0, ['acoustic piano', 'grand piano', 'grand']),
  def('electric piano', 4, ['epiano', 'e-piano', 'rhodes']),
  def('harpsichord', 6),
  def('celesta', 8, ['celeste']),
  def('glockenspiel', 9, ['glock']),
  def('music box', 10, ['musicbox']),
  def('vibraphone', 11, ['vibes', 'vibe']),
  def('marimba', 12),
  def('organ', 19, ['church organ', 'pipe organ']),
  def('jazz organ', 17, ['drawbar organ', 'hammond']),
  def('accordion', 21, ['squeezebox']),
  def('harmonica', 22),
  def('acoustic guitar', 24, ['nylon guitar', 'guitar', 'classical guitar', 'acoustic guitar (nylon)']),
  def('steel guitar', 25, ['steel-string guitar', 'acoustic guitar (steel)', 'folk guitar']),
  def('electric guitar', 27, ['clean guitar']),
  def('bass', 32, ['acoustic bass', 'upright bass', 'double bass', 'contrabass']),
  def('electric bass', 33, ['bass guitar', 'finger bass']),
  def('violin', 40, ['fiddle']),
  def('cello', 42),
  def('harp', 46, ['orchestral harp']),
  def('timpani', 47),
  def('strings', 48, ['string ensemble', 'string section']),
  def('choir', 52, ['voices', 'aahs']),
  def('trumpet', 56),
  def('trombone', 57),
  def('french horn', 60, ['horn']),
  def('brass', 61, ['brass section']),
  def('saxophone', 65, ['sax', 'alto sax', 'alto saxophone']),
  def('tenor sax', 66, ['tenor saxophone']),
  def('oboe', 68),
  def('clarinet', 71),
  def('piccolo', 72),
  def('flute', 73),
  def('recorder', 74),
  def('pan flute', 75, ['panpipes', 'pan pipes']),
  def('tin whistle', 78, ['whistle', 'penny whistle', 'irish whistle']),
  def('ocarina', 79),
  def('synth lead', 80, ['square lead', 'lead', 'chiptune', 'square']),
  def('saw lead', 81, ['sawtooth lead']),
  def('synth pad', 88, ['pad', 'new age pad']),
  def('synth bass', 38, ['bass synth', 'synthbass']),
  def('bagpipe', 109, ['bagpipes']),
  def('steel drums', 114, ['steel drum', 'steelpan']),
  def('drums', 0, ['drum kit', 'kit', 'percussion'], true),
];

const normalize = (s: string) => s.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');

const byName = new Map<string, Instrument>();
for (const i of INSTRUMENTS) for (const n of [i.name, ...i.aliases]) byName.set(normalize(n), i);

/** Canonical instrument names, for help text and error messages. @example instrumentNames().includes('piano') // true */
export function instrumentNames(): string[] {
  return INSTRUMENTS.map((i) => i.name);
}

/** Looks up an instrument by name or alias (case-insensitive); undefined if unknown. @example findInstrument('Fiddle')?.program // 40 */
export function findInstrument(name: string): Instrument | undefined {
  return byName.get(normalize(name));
}

/** Like findInstrument, but throws MixtapeError UNKNOWN_INSTRUMENT listing the valid names. @example getInstrument('flute').program // 73 */
export function getInstrument(name: string): Instrument {
  const found = findInstrument(name);
  if (!found) throw new MixtapeError('UNKNOWN_INSTRUMENT', `unknown instrument "${name}"; choose one of: ${instrumentNames().join(', ')}`);
  return found;
}

/** The canonical name for a GM program, or `program N`. @example instrumentNameForProgram(0) // 'piano' */
export function instrumentNameForProgram(program: number, isDrum = false): string {
  if (isDrum) return 'drums';
  return INSTRUMENTS.find((i) => !i.isDrum && i.program === program)?.name ?? `program ${program}`;
}
