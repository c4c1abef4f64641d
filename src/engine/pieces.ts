/**
 * Pieces: MIDI files as named bytes, from folders or uploads, with a content hash so a model
 * can remember exactly which pieces it was trained on (and evaluation can leave them out).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { listMidiFiles } from './dataset.ts';
import { readMidi } from './midi.ts';
import type { Score } from './score.ts';

export interface Piece {
  /** Path relative to its data folder (or the upload's name). */
  name: string;
  bytes: Uint8Array;
}

export interface LoadedPiece extends Piece {
  score: Score;
  hash: string;
}

/** Short content hash of a MIDI file. @example pieceHash(bytes) // 'a1b2c3d4e5f6' */
export function pieceHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/** Every MIDI file under the folders, named relative to its folder. */
export function readPieces(dirs: string[], maxFiles = 100000): Piece[] {
  return dirs.flatMap((dir) => listMidiFiles(dir, { maxFiles }).map((path) => ({ name: relative(dir, path), bytes: new Uint8Array(readFileSync(path)) })));
}

/** Parses pieces, skipping (and counting) the ones that are not usable MIDI. */
export function parsePieces(pieces: Piece[]): { loaded: LoadedPiece[]; failed: string[] } {
  const loaded: LoadedPiece[] = [];
  const failed: string[] = [];
  for (const p of pieces) {
    try {
      loaded.push({ ...p, score: readMidi(p.bytes, { title: p.name.replace(/\.midi?$/i, '') }), hash: pieceHash(p.bytes) });
    } catch {
      failed.push(p.name);
    }
  }
  return { loaded, failed };
}
