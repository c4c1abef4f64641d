/**
 * Score -> MusicXML 4.0 (score-partwise): one part per track, each part's voices written with
 * `<backup>`, chords with `<chord/>`, ties across bar lines, key, meter, clef and tempo.
 */
import type { Score } from '../score.ts';
import { layout, writableParts, type BarItem, type LaidPart, type Layout } from './layout.ts';
import { BarAccidentals, spell } from './spelling.ts';

/** Divisions per quarter note: the 16th-note grid. */
const DIVISIONS = 4;

const TYPES: Record<number, [string, number]> = {
  1: ['16th', 0], 2: ['eighth', 0], 3: ['eighth', 1], 4: ['quarter', 0], 6: ['quarter', 1],
  8: ['half', 0], 12: ['half', 1], 16: ['whole', 0], 24: ['whole', 1],
};
const ACCIDENTALS: Record<number, string> = { [-2]: 'flat-flat', [-1]: 'flat', 0: 'natural', 1: 'sharp', 2: 'double-sharp' };

/** Escapes text for XML. @example xmlText('a<b') // 'a&lt;b' */
export const xmlText = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function noteXml(item: BarItem, voice: number, tieIn: boolean, acc: BarAccidentals, fifths: number): string[] {
  const [type, dots] = TYPES[item.steps];
  const tail = `<voice>${voice}</voice><type>${type}</type>${'<dot/>'.repeat(dots)}`;
  if (!item.pitches.length) return [`<note><rest/><duration>${item.steps}</duration>${tail}</note>`];
  return item.pitches.map((p, i) => {
    const s = spell(p, fifths);
    const shown = acc.show(s);
    const ties = (tieIn ? '<tie type="stop"/>' : '') + (item.tie ? '<tie type="start"/>' : '');
    const tied = (tieIn ? '<tied type="stop"/>' : '') + (item.tie ? '<tied type="start"/>' : '');
    return (
      `<note>${i > 0 ? '<chord/>' : ''}<pitch><step>${s.letter}</step>${s.alter ? `<alter>${s.alter}</alter>` : ''}<octave>${s.octave}</octave></pitch>` +
      `<duration>${item.steps}</duration>${ties}${tail}${shown !== null ? `<accidental>${ACCIDENTALS[shown]}</accidental>` : ''}` +
      `${tied ? `<notations>${tied}</notations>` : ''}</note>`
    );
  });
}

function clefXml(part: LaidPart): string {
  if (part.isDrum) return '<clef><sign>percussion</sign></clef>';
  const pitches = part.voices.flatMap((v) => v.bars.flat().flatMap((it) => it.pitches));
  const mean = pitches.reduce((a, b) => a + b, 0) / Math.max(1, pitches.length);
  return mean < 57 ? '<clef><sign>F</sign><line>4</line></clef>' : '<clef><sign>G</sign><line>2</line></clef>';
}

function partXml(lay: Layout, part: LaidPart, id: string): string {
  const out: string[] = [`<part id="${id}">`];
  const accs = part.voices.map(() => new BarAccidentals(lay.fifths));
  for (let b = 0; b < lay.barCount; b++) {
    out.push(`<measure number="${b + 1}">`);
    if (b === 0) {
      out.push(
        `<attributes><divisions>${DIVISIONS}</divisions><key><fifths>${lay.fifths}</fifths><mode>${lay.mode}</mode></key>` +
          `<time><beats>${lay.meter.numerator}</beats><beat-type>${lay.meter.denominator}</beat-type></time>${clefXml(part)}</attributes>`,
        `<direction placement="above"><direction-type><metronome><beat-unit>quarter</beat-unit><per-minute>${Math.round(lay.bpm)}</per-minute></metronome></direction-type><sound tempo="${Math.round(lay.bpm)}"/></direction>`,
      );
    }
    part.voices.forEach((v, vi) => {
      if (vi > 0) out.push(`<backup><duration>${lay.stepsPerBar}</duration></backup>`);
      accs[vi].reset();
      const prevBar = b > 0 ? v.bars[b - 1] : [];
      let tieIn = Boolean(prevBar.at(-1)?.tie);
      for (const item of v.bars[b]) {
        out.push(...noteXml(item, vi + 1, tieIn, accs[vi], lay.fifths));
        tieIn = item.tie;
      }
    });
    if (b === lay.barCount - 1) out.push('<barline location="right"><bar-style>light-heavy</bar-style></barline>');
    out.push('</measure>');
  }
  out.push('</part>');
  return out.join('\n');
}

/**
 * Writes a score as a MusicXML document (drums as a percussion part on MIDI channel 10).
 * @example toMusicXml(score).startsWith('<?xml') // true
 */
export function toMusicXml(score: Score): string {
  const lay = layout(score);
  const parts = lay.parts.length ? lay.parts : [{ name: 'Music', program: 0, isDrum: false, voices: [{ bars: Array.from({ length: lay.barCount }, () => writableParts(lay.stepsPerBar).map((steps) => ({ pitches: [], steps, tie: false }))) }] }];
  const list = parts
    .map((p, i) => {
      const id = `P${i + 1}`;
      const channel = p.isDrum ? 10 : (i >= 9 ? i + 2 : i + 1);
      return (
        `<score-part id="${id}"><part-name>${xmlText(p.name)}</part-name><score-instrument id="${id}-I1"><instrument-name>${xmlText(p.name)}</instrument-name></score-instrument>` +
        `<midi-instrument id="${id}-I1"><midi-channel>${Math.min(16, channel)}</midi-channel><midi-program>${p.program + 1}</midi-program></midi-instrument></score-part>`
      );
    })
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">',
    '<score-partwise version="4.0">',
    `<work><work-title>${xmlText(score.title || 'Untitled')}</work-title></work>`,
    '<identification><encoding><software>Mixtape</software></encoding></identification>',
    `<part-list>\n${list}\n</part-list>`,
    ...parts.map((p, i) => partXml(lay, p, `P${i + 1}`)),
    '</score-partwise>',
    '',
  ].join('\n');
}
