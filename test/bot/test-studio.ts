/**
 * A small, fast studio for the bot's tests: real (tiny) MIDI and PNG bytes, and a sine tone
 * as PCM whose pitch depends on the seed, so a test can recognise the track in voice.
 */
import tonejs from '@tonejs/midi';
import { PNG } from 'pngjs';
import { MixtapeError } from '../../src/engine/errors.ts';
import { readMidi } from '../../src/engine/midi.ts';
import type { Score } from '../../src/engine/score.ts';
import type { ComposeRequest, ComposeResult, TrainRequest, TrainResult } from '../../src/studio/types.ts';
import type { Studio, StudioProgress } from '../../src/bot/types.ts';

const { Midi } = tonejs;
export const GENRES = ['celtic', 'classical', 'jazz', 'game', 'pop', 'dance'];
export const INSTRUMENTS = ['piano', 'acoustic guitar', 'music box', 'strings', 'flute', 'synth lead'];

/** A seed that makes the test studio fail with an unexpected (non-Mixtape) error. */
export const FAILING_SEED = 666;

/** The tone frequency a seed plays at. @example toneHz(0) // 300 */
export const toneHz = (seed: number): number => 300 + (seed % 5) * 100;

export interface TestStudioOptions {
  /** How long one composition takes (ms). */
  composeMs?: number;
  /** Length of the PCM per bar in seconds (default 0.5, at most 6 s in all). */
  pcmSecondsPerBar?: number;
  trainMs?: number;
}

export interface TestStudio extends Studio {
  composeCalls: ComposeRequest[];
  trainCalls: TrainRequest[];
}

/** Reads MIDI bytes with Mixtape's own bounded reader (a MixtapeError for anything unusable), as the studio does. */
function parseMidi(bytes: Uint8Array): Score {
  return readMidi(bytes);
}

/** A MIDI file with one note per beat. */
export function makeMidi(bars: number, tempo = 120, pitch = 60): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(tempo);
  const track = midi.addTrack();
  const beat = 60 / tempo;
  for (let b = 0; b < bars * 4; b++) track.addNote({ midi: pitch + (b % 8), time: b * beat, duration: beat * 0.9, velocity: 0.8 });
  return midi.toArray();
}

function makePng(): Uint8Array {
  const png = new PNG({ width: 16, height: 8 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

/** 48 kHz stereo s16 sine. */
export function sinePcm(hz: number, seconds: number): Int16Array {
  const n = Math.round(48000 * seconds);
  const pcm = new Int16Array(n * 2);
  for (let i = 0; i < n; i++) {
    const v = Math.round(Math.sin((2 * Math.PI * hz * i) / 48000) * 12000);
    pcm[2 * i] = v;
    pcm[2 * i + 1] = v;
  }
  return pcm;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createTestStudio(options: TestStudioOptions = {}): TestStudio {
  const composeCalls: ComposeRequest[] = [];
  const trainCalls: TrainRequest[] = [];
  return {
    composeCalls,
    trainCalls,
    listGenres: () => GENRES,
    listInstruments: () => INSTRUMENTS,
    async composeTrack(req: ComposeRequest, onProgress?: (p: StudioProgress) => void): Promise<ComposeResult> {
      composeCalls.push(req);
      if (req.seed === 666) throw new Error('synthetic studio failure');
      if (!GENRES.includes(req.genre)) throw new MixtapeError('UNKNOWN_GENRE', `unknown genre ${req.genre}`);
      // Like the real studio: only listed instruments, and a piece without one is stored as 'default'.
      if (req.instrument !== undefined && !INSTRUMENTS.includes(req.instrument)) throw new MixtapeError('UNKNOWN_INSTRUMENT', `Unknown instrument "${req.instrument}"`);
      if (req.temperature !== undefined && !(req.temperature >= 0.1 && req.temperature <= 2)) throw new MixtapeError('BAD_ARGUMENT', 'temperature must be from 0.1 to 2');
      if (req.tempo !== undefined && !(req.tempo >= 30 && req.tempo <= 300)) throw new MixtapeError('BAD_ARGUMENT', 'tempo must be from 30 to 300 bpm');
      if (!Number.isInteger(req.bars) || req.bars < 1 || req.bars > 64) throw new MixtapeError('BAD_ARGUMENT', 'bars must be from 1 to 64');
      const primerBars = req.primerMidi ? Math.ceil(parseMidi(req.primerMidi).lengthBeats / 4) : 0;
      const modelName = req.model ? String(JSON.parse(Buffer.from(req.model.bytes).toString()).name) : '';
      const steps = 4;
      for (let s = 1; s <= steps; s++) {
        await sleep((options.composeMs ?? 50) / steps);
        onProgress?.({ stage: 'generate', fraction: s / steps });
      }
      const seed = req.seed ?? 1;
      const tempo = req.tempo ?? 120;
      const bars = primerBars + req.bars;
      return {
        title: `${req.genre[0].toUpperCase()}${req.genre.slice(1)} study ${seed % 1000}`,
        genre: req.genre,
        modelName,
        bars,
        tempo,
        seed,
        temperature: req.temperature ?? 1,
        meter: req.meter ?? '4/4',
        tuneType: req.tuneType,
        instrument: req.instrument ?? 'default',
        durationSeconds: (bars * 4 * 60) / tempo,
        midi: makeMidi(bars, tempo),
        audio: [{ format: 'ogg', bytes: new TextEncoder().encode('OggS-not-really-' + seed) }],
        png: makePng(),
        pcm: sinePcm(toneHz(seed), Math.min(6, bars * (options.pcmSecondsPerBar ?? 0.5))),
        timings: { generateMs: 1, renderMs: 1, encodeMs: 1, imageMs: 1 },
      };
    },
    async trainPersonal(req: TrainRequest, onProgress?: (p: StudioProgress) => void): Promise<TrainResult> {
      trainCalls.push(req);
      for (const f of req.files) parseMidi(f.bytes);
      const epochs = 3;
      for (let e = 1; e <= epochs; e++) {
        await sleep((options.trainMs ?? 60) / epochs);
        onProgress?.({ epoch: e, epochs, loss: 2 / e, fraction: e / epochs });
      }
      return {
        bytes: new TextEncoder().encode(JSON.stringify({ name: req.name, baseGenre: req.baseGenre, files: req.files.length })),
        card: { epochs, loss: 0.667, files: req.files.length },
      };
    },
  };
}
