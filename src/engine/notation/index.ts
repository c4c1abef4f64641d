/** Notation: a Score as ABC or MusicXML, and ABC tunes read back into a Score. */
export { toAbc, abcKeyName, type AbcOptions } from './abc-write.ts';
export { readAbc, looksLikeAbc, ABC_MAX_CHARS, ABC_MAX_NOTES, type ReadAbcOptions } from './abc-read.ts';
export { toMusicXml } from './musicxml.ts';
export { tuneTypeFor } from './tune-type.ts';
export { layout, type Layout } from './layout.ts';
