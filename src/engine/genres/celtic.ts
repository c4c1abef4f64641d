import { TUNE_TYPES } from '../meter.ts';
import type { Genre } from './genre.ts';

export const celtic: Genre = {
  key: 'celtic',
  label: 'Celtic folk (jigs, reels, hornpipes)',
  kind: 'pitchdur',
  tempo: { default: 112, min: 96, max: 132 },
  // Tune types weighted by both sources' meters (CRE 1,075 + Nottingham 1,034 tunes: 4/4 1,176,
  // 6/8 600, 2/4 118, 12/8 73, 3/4 60, 9/8 59); reels and hornpipes split 4/4 about 3:1.
  meters: [
    { meter: TUNE_TYPES.reel.meter, weight: 880, type: TUNE_TYPES.reel },
    { meter: TUNE_TYPES.hornpipe.meter, weight: 296, type: TUNE_TYPES.hornpipe },
    { meter: TUNE_TYPES.jig.meter, weight: 600, type: TUNE_TYPES.jig },
    { meter: TUNE_TYPES.polka.meter, weight: 118, type: TUNE_TYPES.polka },
    { meter: TUNE_TYPES.slide.meter, weight: 73, type: TUNE_TYPES.slide },
    { meter: TUNE_TYPES.waltz.meter, weight: 60, type: TUNE_TYPES.waltz },
    { meter: TUNE_TYPES['slip jig'].meter, weight: 59, type: TUNE_TYPES['slip jig'] },
  ],
  // Dance tunes are two 8-bar parts, each played twice (AABB) with a second-time ending; a part's
  // second phrase usually opens like its first (bars 5-7 = 1-3).
  form: { parts: 'AABB', partBars: 8, phraseBars: 4, restate: 0.7, restateBars: 3, vary: 0.08, hold: 0.2, secondEnding: true, finalDownbeat: 0.2 },
  sources: [
    { path: 'celtic/ceol_rince_na_heireann', licence: 'CC BY 4.0 (README) / Unlicense (LICENSE.md)', description: 'Ceol Rince na hÉireann: monophonic Irish dance tunes (Breathnach, transcribed by Bill Black)' },
    { path: 'celtic/nottingham/MIDI/melody', licence: 'GPL-3.0 (jukedeck/nottingham-dataset)', description: 'Nottingham Music Database folk tunes, melody-only MIDI' },
  ],
  augment: [-2, 0, 2],
};
