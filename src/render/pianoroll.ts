/**
 * Piano-roll picture of a Score as PNG: notes as bars over time (x) and pitch (y), bar and
 * beat lines, pitch names on the left and bar numbers on top, one colour per track, drums in
 * their own lane, and for /continue the primer drawn greyed with a divider where the generated
 * music starts. Sized for a Discord embed.
 */
import type { Note, Score } from '../engine/score.ts';
import { barGrid } from './bars.ts';
import { drawText, textHeight, textWidth } from './glyphs.ts';
import { encodePng } from './png.ts';

export type Rgb = readonly [number, number, number];

export interface PianoRollOptions {
  width?: number;
  height?: number;
  /** Notes starting before this beat are the primer (drawn grey), with a divider line there. */
  primerEndBeat?: number;
  /** Pitch names and bar numbers (default true). */
  labels?: boolean;
}

/** The palette, exported so that tests and legends can name colours. */
export const COLORS = {
  background: [32, 34, 40] as Rgb,
  primerBackground: [42, 44, 50] as Rgb,
  beatLine: [44, 47, 55] as Rgb,
  barLine: [78, 83, 96] as Rgb,
  octaveLine: [38, 41, 48] as Rgb,
  laneDivider: [90, 95, 108] as Rgb,
  primerDivider: [255, 214, 102] as Rgb,
  primerNote: [120, 124, 134] as Rgb,
  label: [196, 200, 210] as Rgb,
  tracks: [[88, 166, 255], [255, 123, 114], [126, 231, 135], [210, 168, 255], [255, 166, 87], [86, 212, 221], [240, 136, 190], [227, 179, 65]] as Rgb[],
  drums: [230, 230, 230] as Rgb,
};

/** Colour of the i-th melodic track. @example trackColor(0) // [88, 166, 255] */
export const trackColor = (i: number): Rgb => COLORS.tracks[i % COLORS.tracks.length];

/** Where things are drawn: shared by drawing and by tests that check pixels. */
export interface RollLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  /** Bottom of the pitched area (exclusive). */
  pitchBottom: number;
  lowPitch: number;
  highPitch: number;
  /** Whether pitch names (in the left margin) and bar numbers (in the top margin) are drawn. */
  labels: boolean;
  rowHeight: number;
  pxPerBeat: number;
  drumLane?: { top: number; bottom: number; pitches: number[] };
}

/** Computes the layout for a score: pitch range fitted to the notes (+2 semitones margin). */
export function rollLayout(score: Score, options: PianoRollOptions = {}): RollLayout {
  const width = options.width ?? 1200;
  const height = options.height ?? 500;
  const pitched = score.tracks.filter((t) => !t.isDrum).flatMap((t) => t.notes);
  const drums = score.tracks.filter((t) => t.isDrum).flatMap((t) => t.notes);
  let low = pitched.length ? Math.min(...pitched.map((n) => n.pitch)) - 2 : 58;
  let high = pitched.length ? Math.max(...pitched.map((n) => n.pitch)) + 2 : 72;
  while (high - low < 12) { low--; high++; } // at least an octave, so few notes do not become huge bars
  const lastEnd = Math.max(score.lengthBeats, ...score.tracks.flatMap((t) => t.notes.map((n) => n.start + n.duration)), 1);
  const labels = options.labels !== false;
  // Margins for the labels: "C#4" at scale 2 on the left, a bar number at scale 2 on top.
  const left = labels ? 8 + textWidth('C#4', 2) + 6 : 8;
  const right = width - 8;
  const top = labels ? 8 + textHeight(2) + 6 : 8;
  const drumHeight = drums.length ? Math.round(height * 0.16) : 0;
  const pitchBottom = height - 8 - (drumHeight ? drumHeight + 6 : 0);
  const layout: RollLayout = {
    width, height, left, right, top, pitchBottom, lowPitch: low, highPitch: high, labels,
    rowHeight: (pitchBottom - top) / (high - low + 1),
    pxPerBeat: (right - left) / lastEnd,
  };
  if (drumHeight) layout.drumLane = { top: height - 8 - drumHeight, bottom: height - 8, pitches: [...new Set(drums.map((n) => n.pitch))].sort((a, b) => a - b) };
  return layout;
}

const PITCH_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** Scientific pitch name (C4 = MIDI 60). @example pitchName(61) // 'C#4' */
export const pitchName = (pitch: number): string => `${PITCH_NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;

/**
 * Which pitches get a name in the margin, and at what scale: every pitch when rows are tall
 * enough to read, else only the Cs (the octave lines).
 */
export function pitchLabels(l: RollLayout): { pitches: number[]; scale: number } {
  const all = Array.from({ length: l.highPitch - l.lowPitch + 1 }, (_, i) => l.lowPitch + i);
  if (l.rowHeight >= textHeight(2) + 1) return { pitches: all, scale: 2 };
  if (l.rowHeight >= textHeight(1) + 1) return { pitches: all, scale: 1 };
  return { pitches: all.filter((p) => p % 12 === 0), scale: l.rowHeight * 12 >= textHeight(2) + 2 ? 2 : 1 };
}

/** Every how many bars a number is written, so that numbers never crowd (1, 2, 4, 8, ...). @example barLabelStep(10) // 4 */
export function barLabelStep(barPx: number): number {
  let step = 1;
  while (step * barPx < textWidth('000', 2) + 8 && step < 1024) step *= 2;
  return step;
}

/** Pixel rectangle [x0, y0, x1, y1) of a note (pitched, or in the drum lane). */
export function noteRect(l: RollLayout, n: Note, isDrum: boolean): [number, number, number, number] {
  const x0 = Math.round(l.left + n.start * l.pxPerBeat);
  const x1 = Math.max(x0 + 2, Math.round(l.left + (n.start + n.duration) * l.pxPerBeat) - 1);
  if (isDrum && l.drumLane) {
    const rows = l.drumLane.pitches.length;
    const h = (l.drumLane.bottom - l.drumLane.top) / rows;
    const row = rows - 1 - l.drumLane.pitches.indexOf(n.pitch);
    return [x0, Math.round(l.drumLane.top + row * h), Math.max(x0 + 3, Math.min(x1, x0 + 6)), Math.max(Math.round(l.drumLane.top + (row + 1) * h) - 1, Math.round(l.drumLane.top + row * h) + 1)];
  }
  const y0 = Math.round(l.top + (l.highPitch - n.pitch) * l.rowHeight);
  const y1 = Math.max(y0 + 2, Math.round(l.top + (l.highPitch - n.pitch + 1) * l.rowHeight) - 1);
  return [x0, y0, x1, y1];
}

/** An RGB canvas with the few drawing operations needed. */
class Canvas {
  readonly data: Uint8Array;
  private readonly words: Uint32Array;
  readonly width: number;
  readonly height: number;
  constructor(width: number, height: number, bg: Rgb) {
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 4);
    this.words = new Uint32Array(this.data.buffer);
    this.rect(0, 0, width, height, bg);
  }
  rect(x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
    const xa = Math.max(0, Math.floor(x0)), xb = Math.min(this.width, Math.ceil(x1));
    const ya = Math.max(0, Math.floor(y0)), yb = Math.min(this.height, Math.ceil(y1));
    if (xb <= xa) return;
    const word = new Uint32Array(new Uint8Array([c[0], c[1], c[2], 255]).buffer)[0]; // RGBA bytes in host order
    for (let y = ya; y < yb; y++) this.words.fill(word, y * this.width + xa, y * this.width + xb);
  }
}

const darker = (c: Rgb, f = 0.6): Rgb => [Math.round(c[0] * f), Math.round(c[1] * f), Math.round(c[2] * f)];

/** Draws the piano roll and returns PNG bytes. @example pianoRoll(score, { primerEndBeat: 16 }) */
export function pianoRoll(score: Score, options: PianoRollOptions = {}): Uint8Array {
  const l = rollLayout(score, options);
  const c = new Canvas(l.width, l.height, COLORS.background);
  const primerEnd = options.primerEndBeat;
  const x = (beat: number) => Math.round(l.left + beat * l.pxPerBeat);
  if (primerEnd !== undefined && primerEnd > 0) c.rect(l.left, l.top, x(primerEnd), l.height - 8, COLORS.primerBackground);
  for (let p = l.lowPitch; p <= l.highPitch; p++) {
    if (p % 12 === 0) c.rect(l.left, l.top + (l.highPitch - p + 1) * l.rowHeight - 1, l.right, l.top + (l.highPitch - p + 1) * l.rowHeight, COLORS.octaveLine);
  }
  const totalBeats = (l.right - l.left) / l.pxPerBeat;
  const grid = barGrid(score, totalBeats);
  const beatPx = grid.length > 1 ? (grid[1].beat - grid[0].beat) * l.pxPerBeat : Infinity;
  for (const g of grid) {
    if (!g.bar && beatPx < 4) continue; // too dense to read: keep only bar lines
    c.rect(x(g.beat), l.top, x(g.beat) + 1, l.height - 8, g.bar ? COLORS.barLine : COLORS.beatLine);
  }
  if (l.drumLane) c.rect(l.left, l.drumLane.top - 4, l.right, l.drumLane.top - 3, COLORS.laneDivider);
  let melodic = 0;
  for (const t of score.tracks) {
    const color = t.isDrum ? COLORS.drums : trackColor(melodic++);
    for (const n of t.notes) {
      const primer = primerEnd !== undefined && n.start < primerEnd;
      const fill = primer ? COLORS.primerNote : color;
      const [x0, y0, x1, y1] = noteRect(l, n, t.isDrum);
      c.rect(x0, y0, x1, y1, darker(fill));
      if (x1 - x0 > 2 && y1 - y0 > 2) c.rect(x0 + 1, y0 + 1, x1 - 1, y1 - 1, fill);
      else c.rect(x0, y0, x1, y1, fill);
    }
  }
  if (primerEnd !== undefined && primerEnd > 0) c.rect(x(primerEnd) - 1, l.top, x(primerEnd) + 1, l.height - 8, COLORS.primerDivider);
  if (l.labels) drawLabels(c, l, grid.filter((g) => g.bar).map((g) => x(g.beat)));
  return encodePng(c.data, l.width, l.height);
}

/** Pitch names right-aligned in the left margin, bar numbers above the bar lines. */
function drawLabels(c: Canvas, l: RollLayout, barXs: number[]): void {
  const fill = (px: number, py: number, w: number, h: number) => c.rect(px, py, px + w, py + h, COLORS.label);
  const { pitches, scale } = pitchLabels(l);
  for (const p of pitches) {
    const name = pitchName(p);
    const rowMid = l.top + (l.highPitch - p + 0.5) * l.rowHeight;
    drawText(name, l.left - 4 - textWidth(name, scale), Math.round(rowMid - textHeight(scale) / 2), scale, fill);
  }
  const step = barXs.length > 1 ? barLabelStep(barXs[1] - barXs[0]) : 1;
  barXs.forEach((bx, i) => {
    if (i % step !== 0 || bx + textWidth(String(i + 1), 2) > l.right) return;
    drawText(String(i + 1), bx + 2, 8, 2, fill);
  });
}
