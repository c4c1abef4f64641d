/**
 * Audio encoding: Ogg/Opus and MP3 through an ffmpeg child process (PCM on stdin, the file on
 * stdout, no temp files), WAV in pure TypeScript. Every output is kept under a byte budget
 * (Discord's 10 MiB upload limit) by choosing the bitrate from the duration up front.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { MixtapeError } from '../engine/errors.ts';
import { pcmSeconds, type Pcm16 } from './pcm.ts';
import { encodeWavWithin } from './wav.ts';

export type EncodeFormat = 'ogg' | 'mp3' | 'wav';

/** Discord's 10 MiB per file, minus room for multipart overhead. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024 - 256 * 1024;

const INSTALL_HINT = 'install ffmpeg (Debian/Ubuntu: apt install ffmpeg; macOS: brew install ffmpeg), or set FFMPEG_PATH to its binary';

const isExecutable = (p: string) => {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** ffmpeg-static's binary path when that optional package is installed. */
function ffmpegStaticPath(): string | undefined {
  try {
    const p = createRequire(import.meta.url)('ffmpeg-static') as unknown;
    return typeof p === 'string' && isExecutable(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** `ffmpeg` on PATH, if any. */
function ffmpegOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/**
 * Finds ffmpeg: the configured path (option, then $FFMPEG_PATH), then ffmpeg-static, then PATH.
 * A configured path that does not work is an error (no silent fallback). MixtapeError FFMPEG_MISSING.
 * @example findFfmpeg() // '/usr/bin/ffmpeg'
 */
export function findFfmpeg(configured?: string): string {
  const explicit = configured || process.env.FFMPEG_PATH;
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new MixtapeError('FFMPEG_MISSING', `ffmpeg not found at ${explicit} (FFMPEG_PATH / --ffmpeg); ${INSTALL_HINT}`);
  }
  const found = ffmpegStaticPath() ?? ffmpegOnPath();
  if (!found) throw new MixtapeError('FFMPEG_MISSING', `ffmpeg is needed for ogg/mp3 output; ${INSTALL_HINT}`);
  return found;
}

const MP3_RATES = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

/**
 * The bitrate (kbit/s) that fits `seconds` of audio in `maxBytes` (with a margin for container
 * overhead), at most `preferred`. @example chooseBitrate('mp3', 600, 10e6, 160) // 128
 */
export function chooseBitrate(format: 'ogg' | 'mp3', seconds: number, maxBytes: number, preferred: number): number {
  const fits = Math.floor((maxBytes * 8 * 0.93) / Math.max(seconds, 1) / 1000);
  const want = Math.min(preferred, fits);
  if (format === 'mp3') {
    const rate = [...MP3_RATES].reverse().find((r) => r <= want);
    if (rate === undefined) throw tooLong(format, maxBytes);
    return rate;
  }
  if (want < 6) throw tooLong(format, maxBytes);
  return want;
}

const tooLong = (format: string, maxBytes: number) =>
  new MixtapeError('LIMIT', `the piece is too long for ${format} under ${(maxBytes / 1048576).toFixed(1)} MiB; render fewer bars`);

export interface EncodeOptions {
  maxBytes?: number;
  /** Preferred bitrate in kbit/s (ogg default 128, mp3 default 192); lowered to fit maxBytes. */
  bitrate?: number;
  ffmpegPath?: string;
}

/** Encodes s16 PCM to the format, under `maxBytes` (default 10 MiB minus a margin). @example await encode(pcm, 'ogg') */
export async function encode(pcm: Pcm16, format: EncodeFormat, options: EncodeOptions = {}): Promise<Uint8Array> {
  return startEncoder(format, { ...options, seconds: pcmSeconds(pcm), sampleRate: pcm.sampleRate, channels: pcm.channels }).finish(pcm);
}

/** An encoder started ahead of its PCM: `finish` feeds the samples and resolves with the file. */
export interface PendingEncoder {
  finish(pcm: Pcm16): Promise<Uint8Array>;
  /** Stops the waiting ffmpeg (the audio never came). */
  abort(): void;
}

/**
 * Starts ffmpeg before the audio exists (process start and codec set-up overlap synthesis), with
 * a bitrate chosen for `seconds`, an upper bound of the length. `finish` writes the PCM; a file
 * over `maxBytes` (rare VBR overshoot, or a longer piece than announced) is encoded again lower.
 * @example const enc = startEncoder('mp3', { seconds: 40 }); ...; const mp3 = await enc.finish(pcm)
 */
export function startEncoder(format: EncodeFormat, options: EncodeOptions & { seconds: number; sampleRate?: number; channels?: 1 | 2 }): PendingEncoder {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (format === 'wav') return { finish: async (pcm) => encodeWavWithin(pcm, maxBytes), abort: () => {} };
  const ffmpeg = findFfmpeg(options.ffmpegPath);
  const preferred = options.bitrate ?? (format === 'ogg' ? 128 : 192);
  const spawnFor = (kbps: number) => takeFfmpeg(ffmpeg, { sampleRate: options.sampleRate ?? 48000, channels: options.channels ?? 2 }, codecArgs(format, kbps));
  let kbps: number;
  let first: ReturnType<typeof spawnFor> | undefined;
  try {
    kbps = chooseBitrate(format, options.seconds, maxBytes, preferred);
    first = spawnFor(kbps);
  } catch {
    kbps = preferred; // too long for the estimate: decided again from the real length below
  }
  return {
    async finish(pcm) {
      const seconds = pcmSeconds(pcm);
      if (!first || chooseBitrate(format, seconds, maxBytes, preferred) < kbps) {
        first?.abort();
        kbps = chooseBitrate(format, seconds, maxBytes, preferred);
        first = spawnFor(kbps);
      }
      let run = first;
      for (let attempt = 0; attempt < 3; attempt++) {
        const bytes = await run.write(pcm);
        if (bytes.length <= maxBytes) return bytes;
        kbps = chooseBitrate(format, seconds, maxBytes, Math.floor(kbps * 0.8)); // rare: VBR overshoot
        run = spawnFor(kbps);
      }
      run.abort();
      throw tooLong(format, maxBytes);
    },
    abort: () => first?.abort(),
  };
}

function codecArgs(format: 'ogg' | 'mp3', kbps: number): string[] {
  // The two encoders run after synthesis, side by side, and are most of a compose's wait: both
  // are set for speed at a bitrate where the settings are not heard.
  return format === 'ogg'
    ? // Complexity 3 instead of 10: about half the CPU per file at 128 kbit/s, where Opus's extra analysis buys little.
      ['-c:a', 'libopus', '-b:a', `${kbps}k`, '-vbr', 'constrained', '-compression_level', '3', '-f', 'ogg']
    : // LAME quality 7, and plain left/right stereo at 192 kbit/s instead of joint stereo at 160: joint
      // stereo runs the psychoacoustic model on four channels (L, R, M, S), LR on two; measured 15-25 %
      // less time for the same 35 s piece, and the extra bits cover what M/S coding would have saved.
      ['-c:a', 'libmp3lame', '-b:a', `${kbps}k`, '-compression_level', '7', '-joint_stereo', '0', '-f', 'mp3'];
}

interface FfmpegRun {
  write(pcm: Pcm16): Promise<Uint8Array>;
  abort(): void;
}

/**
 * One idle ffmpeg per encoder setting, started after the last one was used and waiting on stdin:
 * a compose takes a process whose start (about 80 ms of CPU and a blocking fork on the event
 * loop) is already paid, outside the member's wait. Idle ones never keep the process alive, and
 * exit on their own (stdin closes) when it ends.
 */
const standby = new Map<string, { child: ChildProcess; run: FfmpegRun }>();

let standbyWanted = false;

/**
 * Long-running processes (the bot, a worker, the bench) keep one idle encoder per setting from
 * now on; one-shot commands do not (they would only leave processes to exit). MIXTAPE_ENCODER_STANDBY=0
 * turns it off everywhere. @example keepEncodersWarm()
 */
export function keepEncodersWarm(on = true): void {
  standbyWanted = on;
  if (!on) stopIdleEncoders();
}

const REFILL_DELAY_MS = 30;

const standbyEnabled = () => standbyWanted && process.env.MIXTAPE_ENCODER_STANDBY !== '0';

/** An ffmpeg for these settings: the idle one when it is still alive, else a new one; an idle successor follows. */
function takeFfmpeg(ffmpeg: string, format: { sampleRate: number; channels: number }, codec: string[]): FfmpegRun {
  if (!standbyEnabled()) return runFfmpeg(ffmpeg, format, codec).run;
  const key = [ffmpeg, format.sampleRate, format.channels, ...codec].join(' ');
  const idle = standby.get(key);
  standby.delete(key);
  const alive = idle && idle.child.pid !== undefined && idle.child.exitCode === null && idle.child.signalCode === null;
  const taken = alive ? idle : runFfmpeg(ffmpeg, format, codec);
  if (!alive) idle?.run.abort();
  setRef(taken.child, true);
  const refill = () => {
    if (standby.has(key) || !standbyEnabled()) return;
    try {
      const next = runFfmpeg(ffmpeg, format, codec);
      setRef(next.child, false);
      next.child.on('close', () => { if (standby.get(key) === next) standby.delete(key); });
      standby.set(key, next);
    } catch { /* no successor: the next compose starts its own */ }
  };
  // The successor starts a moment later, not in the continuation of this encode: its fork
  // blocks the event loop, and the caller's compose should finish first.
  const refillSoon = () => void setTimeout(refill, REFILL_DELAY_MS).unref();
  return {
    write: (pcm) => {
      const out = taken.run.write(pcm);
      out.then(refillSoon, refillSoon);
      return out;
    },
    abort: () => taken.run.abort(),
  };
}

/** Lets (or stops) a child and its pipes keep the event loop alive. */
function setRef(child: ChildProcess, on: boolean): void {
  for (const h of [child, child.stdin, child.stdout, child.stderr] as ({ ref(): void; unref(): void } | null)[]) {
    if (h) on ? h.ref() : h.unref();
  }
}

/** Stops the idle encoders (a test or a process that wants no children left); returns how many there were. */
export function stopIdleEncoders(): number {
  const n = standby.size;
  for (const { run } of standby.values()) run.abort();
  standby.clear();
  return n;
}

/** Starts ffmpeg reading raw PCM on stdin; `write` sends the samples and resolves with stdout. */
function runFfmpeg(ffmpeg: string, format: { sampleRate: number; channels: number }, codec: string[]): { child: ChildProcess; run: FfmpegRun } {
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', String(format.sampleRate), '-ac', String(format.channels), '-i', 'pipe:0', ...codec, 'pipe:1'];
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-2000); });
  child.stdin.on('error', () => {}); // EPIPE when ffmpeg dies early: reported by 'close'
  const done = new Promise<Uint8Array>((resolve, reject) => {
    child.on('error', (e) => reject(new MixtapeError('FFMPEG_MISSING', `cannot run ffmpeg at ${ffmpeg} (${e.message}); ${INSTALL_HINT}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(new Uint8Array(Buffer.concat(out)));
      const line = err.trim().split('\n').pop() ?? '';
      if (/Unknown encoder|Encoder not found/i.test(err)) {
        return reject(new MixtapeError('FFMPEG_MISSING', `this ffmpeg lacks an encoder (${line}); ${INSTALL_HINT}`));
      }
      reject(new Error(`ffmpeg failed (exit ${code}): ${line}`));
    });
  });
  done.catch(() => {}); // reported through write()
  const run: FfmpegRun = {
    write(pcm) {
      child.stdin.end(Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength));
      return done;
    },
    abort() {
      child.kill('SIGKILL');
    },
  };
  return { child, run };
}
