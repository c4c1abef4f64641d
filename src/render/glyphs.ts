/**
 * A tiny 3x5 pixel font for the piano roll's pitch names and bar numbers: digits, the note
 * letters, '#' and 'b'. Each glyph is five rows of three bits (left bit = left pixel).
 */
const GLYPHS: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 7, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 2, 2, 2], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  A: [2, 5, 7, 5, 5], B: [6, 5, 6, 5, 6], C: [3, 4, 4, 4, 3], D: [6, 5, 5, 5, 6], E: [7, 4, 6, 4, 7],
  F: [7, 4, 6, 4, 4], G: [3, 4, 5, 5, 3], '#': [5, 7, 5, 7, 5], b: [4, 4, 6, 5, 6], '-': [0, 0, 7, 0, 0],
};

/** Width in pixels of a text at a scale (3 pixels per glyph plus 1 of spacing). @example textWidth('C4', 2) // 14 */
export const textWidth = (text: string, scale: number): number => Math.max(0, text.length * 4 - 1) * scale;

/** Height in pixels of a line of text. @example textHeight(2) // 10 */
export const textHeight = (scale: number): number => 5 * scale;

/**
 * Calls `fill(x, y, w, h)` for each lit pixel block of the text, top-left at (x, y).
 * Unknown characters leave a blank.
 * @example drawText('12', 0, 0, 1, (x, y, w, h) => rect(x, y, x + w, y + h))
 */
export function drawText(text: string, x: number, y: number, scale: number, fill: (x: number, y: number, w: number, h: number) => void): void {
  [...text].forEach((ch, i) => {
    const rows = GLYPHS[ch];
    if (!rows) return;
    const gx = x + i * 4 * scale;
    rows.forEach((bits, r) => {
      for (let c = 0; c < 3; c++) if (bits & (4 >> c)) fill(gx + c * scale, y + r * scale, scale, scale);
    });
  });
}
