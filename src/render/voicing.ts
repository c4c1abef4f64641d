/**
 * Each genre's default band, applied to a Score: which GM program plays the lead, the other
 * parts and the bass, and (for dance) a drum kit and a synth bass added when missing.
 */
import { MixtapeError } from '../engine/errors.ts';
import type { Note, Score, Track } from '../engine/score.ts';
import { barStarts } from './bars.ts';
import { getInstrument } from './instruments.ts';

export interface Voicing {
  lead: string;
  accompaniment: string;
  bass: string;
  /** Add a drum part when the score has none. */
  addDrums: boolean;
  /** Add a bass line under a melody-only score. */
  addBass: boolean;
}

/** Default voicing per genre (instrument names from instruments.ts). */
export const VOICINGS: Record<string, Voicing> = {
  celtic: { lead: 'fiddle', accompaniment: 'harp', bass: 'bass', addDrums: false, addBass: false },
  classical: { lead: 'piano', accompaniment: 'piano', bass: 'piano', addDrums: false, addBass: false },
  jazz: { lead: 'saxophone', accompaniment: 'piano', bass: 'bass', addDrums: false, addBass: false },
  game: { lead: 'synth lead', accompaniment: 'music box', bass: 'synth bass', addDrums: false, addBass: false },
  pop: { lead: 'piano', accompaniment: 'piano', bass: 'electric bass', addDrums: false, addBass: false },
  dance: { lead: 'synth lead', accompaniment: 'synth pad', bass: 'synth bass', addDrums: true, addBass: true },
};

/** The voicing of a genre; MixtapeError UNKNOWN_GENRE listing the genres. @example voicingFor('jazz').lead // 'saxophone' */
export function voicingFor(genre: string): Voicing {
  const v = VOICINGS[genre.trim().toLowerCase()];
  if (!v) throw new MixtapeError('UNKNOWN_GENRE', `unknown genre "${genre}"; choose one of: ${Object.keys(VOICINGS).join(', ')}`);
  return v;
}

const meanPitch = (t: Track) => t.notes.reduce((s, n) => s + n.pitch, 0) / Math.max(1, t.notes.length);

/** Index of the lead: the melodic track with the most notes weighted by height; -1 without melodic tracks. */
export function leadTrackIndex(score: Score): number {
  let best = -1;
  let bestScore = -Infinity;
  score.tracks.forEach((t, i) => {
    if (t.isDrum || t.notes.length === 0) return;
    const s = meanPitch(t) * 2 + Math.log(t.notes.length);
    if (s > bestScore) { bestScore = s; best = i; }
  });
  return best;
}

/** A root-note bass line: per bar the lowest melody pitch moved to octave 2, in eighth notes. */
export function bassLine(score: Score, melody: Note[]): Note[] {
  const bars = barStarts(score);
  const out: Note[] = [];
  bars.forEach((start, i) => {
    const end = i + 1 < bars.length ? bars[i + 1] : score.lengthBeats;
    const inBar = melody.filter((n) => n.start >= start && n.start < end);
    if (inBar.length === 0) return;
    const root = 36 + ((Math.min(...inBar.map((n) => n.pitch)) % 12) + 12) % 12;
    for (let b = start; b < end - 1e-9; b += 0.5) out.push({ pitch: root, start: b, duration: 0.45, velocity: b === start ? 96 : 80 });
  });
  return out;
}

/** A four-on-the-floor kit: kick on beats, clap on 2 and 4, closed hat off-beats. */
export function danceDrums(score: Score): Note[] {
  const out: Note[] = [];
  const len = score.lengthBeats;
  for (let b = 0; b < len - 1e-9; b += 1) {
    out.push({ pitch: 36, start: b, duration: 0.25, velocity: 110 });
    if (Math.floor(b) % 2 === 1) out.push({ pitch: 39, start: b, duration: 0.25, velocity: 90 });
    if (b + 0.5 < len) out.push({ pitch: 42, start: b + 0.5, duration: 0.2, velocity: 70 });
  }
  return out;
}

/**
 * Applies a genre's voicing (and an optional user instrument for the lead) to a score.
 * @example applyVoicing(score, 'celtic', 'tin whistle')
 */
export function applyVoicing(score: Score, genre: string, instrument?: string): Score {
  const v = voicingFor(genre);
  const leadInstrument = getInstrument(instrument ?? v.lead);
  if (leadInstrument.isDrum) throw new MixtapeError('BAD_ARGUMENT', 'drums cannot play the melody; choose a pitched instrument (e.g. piano)');
  const lead = leadTrackIndex(score);
  const melodic = score.tracks.filter((t) => !t.isDrum && t.notes.length > 0);
  const lowest = melodic.length > 1 ? score.tracks.indexOf(melodic.reduce((a, b) => (meanPitch(a) <= meanPitch(b) ? a : b))) : -1;
  const tracks: Track[] = score.tracks.map((t, i) => {
    if (t.isDrum) return t;
    if (i === lead) return { ...t, program: leadInstrument.program };
    if (i === lowest) return { ...t, program: getInstrument(v.bass).program };
    return { ...t, program: getInstrument(v.accompaniment).program };
  });
  if (v.addBass && melodic.length === 1 && lead >= 0) {
    tracks.push({ name: 'bass', program: getInstrument(v.bass).program, isDrum: false, notes: bassLine(score, score.tracks[lead].notes) });
  }
  if (v.addDrums && !score.tracks.some((t) => t.isDrum) && score.lengthBeats > 0) {
    tracks.push({ name: 'drums', program: 0, isDrum: true, notes: danceDrums(score) });
  }
  return { ...score, tracks };
}

/** Sets only the lead's instrument (no genre), e.g. for a user's MIDI file. @example applyInstrument(score, 'harp') */
export function applyInstrument(score: Score, instrument: string): Score {
  const inst = getInstrument(instrument);
  if (inst.isDrum) throw new MixtapeError('BAD_ARGUMENT', 'drums cannot play the melody; choose a pitched instrument (e.g. piano)');
  const lead = leadTrackIndex(score);
  return { ...score, tracks: score.tracks.map((t, i) => (i === lead ? { ...t, program: inst.program } : t)) };
}
