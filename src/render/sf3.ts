/**
 * SF3 -> SF2: rewrites a SoundFont whose samples are Ogg Vorbis streams (SF3, MuseScore's
 * extension) as a plain SF2 with 16-bit samples. FluidSynth decodes every Vorbis sample on each
 * load (seconds in WebAssembly); an SF2 loads by copying. Only the sample data and the sample
 * headers change: presets, instruments, generators and modulators are copied byte for byte.
 *
 * SF3 sample headers hold BYTE offsets of each Ogg stream in `smpl` (end exclusive) and loop
 * points relative to the decoded sample; SF2 headers hold absolute sample offsets, each sample
 * followed by 46 zero samples (SoundFont 2.01, section 6.1).
 */
import { MixtapeError } from '../engine/errors.ts';

/** Decodes one Ogg Vorbis stream to mono float samples in [-1, 1]. */
export type VorbisDecode = (ogg: Uint8Array) => Promise<Float32Array>;

interface Chunk { id: string; start: number; size: number }

const SHDR_RECORD = 46;
const ZERO_TAIL = 46;
const OGG_FLAG = 0x10;

const bad = (why: string) => new MixtapeError('SOUNDFONT', `the SoundFont is damaged (${why}); use a valid .sf2/.sf3 file`);

const fourcc = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);

/** Sub-chunks of a RIFF list body [from, to). */
function chunks(b: Uint8Array, dv: DataView, from: number, to: number): Chunk[] {
  const out: Chunk[] = [];
  for (let o = from; o + 8 <= to;) {
    const size = dv.getUint32(o + 4, true);
    if (o + 8 + size > to) throw bad(`chunk ${fourcc(b, o)} runs past its list`);
    out.push({ id: fourcc(b, o), start: o + 8, size });
    o += 8 + size + (size & 1);
  }
  return out;
}

/** The three top lists of a SoundFont: INFO, sdta, pdta. */
function lists(b: Uint8Array): Record<'INFO' | 'sdta' | 'pdta', Chunk[]> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 12 || fourcc(b, 0) !== 'RIFF' || fourcc(b, 8) !== 'sfbk') throw bad('no RIFF/sfbk header');
  const found: Partial<Record<string, Chunk[]>> = {};
  for (const c of chunks(b, dv, 12, Math.min(b.length, 8 + dv.getUint32(4, true)))) {
    if (c.id === 'LIST' && c.size >= 4) found[fourcc(b, c.start)] = chunks(b, dv, c.start + 4, c.start + c.size);
  }
  if (!found.INFO || !found.sdta || !found.pdta) throw bad('missing INFO, sdta or pdta list');
  return found as Record<'INFO' | 'sdta' | 'pdta', Chunk[]>;
}

/** Major version in the ifil chunk (2 = SF2, 3 = SF3). @example soundfontVersion(bytes) // 3 */
export function soundfontVersion(b: Uint8Array): number {
  const ifil = lists(b).INFO.find((c) => c.id === 'ifil');
  if (!ifil || ifil.size < 4) throw bad('no ifil version chunk');
  return b[ifil.start] | (b[ifil.start + 1] << 8);
}

/** A RIFF chunk with its header and pad byte. */
function chunkBytes(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

const list = (type: string, parts: Uint8Array[]) => chunkBytes('LIST', concat([new TextEncoder().encode(type), ...parts]));

/**
 * Converts SF3 bytes to SF2 bytes, decoding each Vorbis sample with `decode`. An SF2 input is
 * returned unchanged. @example const sf2 = await sf3ToSf2(bytes, vorbisDecoder())
 */
export async function sf3ToSf2(b: Uint8Array, decode: VorbisDecode): Promise<Uint8Array> {
  if (soundfontVersion(b) < 3) return b;
  const { INFO, sdta, pdta } = lists(b);
  const smpl = sdta.find((c) => c.id === 'smpl');
  const shdr = pdta.find((c) => c.id === 'shdr');
  if (!smpl || !shdr || shdr.size % SHDR_RECORD !== 0 || shdr.size < SHDR_RECORD) throw bad('no sample data or sample headers');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const count = shdr.size / SHDR_RECORD - 1; // the last record is the terminal "EOS"
  const headers = b.slice(shdr.start, shdr.start + shdr.size);
  const hv = new DataView(headers.buffer);
  const decoded: Int16Array[] = [];
  for (let i = 0; i < count; i++) {
    const r = i * SHDR_RECORD;
    const start = hv.getUint32(r + 20, true);
    const end = hv.getUint32(r + 24, true);
    const type = hv.getUint16(r + 44, true);
    let pcm: Int16Array;
    if (type & OGG_FLAG) {
      if (end < start || end > smpl.size) throw bad(`sample ${i} lies outside the sample data`);
      const floats = await decode(b.subarray(smpl.start + start, smpl.start + end));
      // FluidSynth reads Vorbis samples through libsndfile scaled to each sample's own peak
      // (measured: renders matched only with this), so the SF2 stores them the same way.
      let peak = 0;
      for (let k = 0; k < floats.length; k++) peak = Math.max(peak, Math.abs(floats[k]));
      const scale = peak > 0 ? 32767 / peak : 0;
      pcm = new Int16Array(floats.length);
      for (let k = 0; k < floats.length; k++) pcm[k] = Math.round(floats[k] * scale);
    } else {
      // An uncompressed sample inside an SF3: offsets are in samples, as in SF2.
      if (end < start || end * 2 > smpl.size) throw bad(`sample ${i} lies outside the sample data`);
      pcm = new Int16Array(end - start);
      for (let k = 0; k < pcm.length; k++) pcm[k] = dv.getInt16(smpl.start + (start + k) * 2, true);
      // Loops become relative below, like the Vorbis ones.
      hv.setUint32(r + 28, hv.getUint32(r + 28, true) - start, true);
      hv.setUint32(r + 32, hv.getUint32(r + 32, true) - start, true);
    }
    decoded.push(pcm);
  }
  const total = decoded.reduce((n, p) => n + p.length + ZERO_TAIL, 0);
  let pos = 0;
  decoded.forEach((pcm, i) => {
    const r = i * SHDR_RECORD;
    hv.setUint32(r + 20, pos, true);
    hv.setUint32(r + 24, pos + pcm.length, true);
    hv.setUint32(r + 28, pos + hv.getUint32(r + 28, true), true);
    hv.setUint32(r + 32, pos + hv.getUint32(r + 32, true), true);
    hv.setUint16(r + 44, hv.getUint16(r + 44, true) & ~OGG_FLAG, true);
    pos += pcm.length + ZERO_TAIL;
  });
  const info = list('INFO', INFO.map((c) => {
    const body = b.slice(c.start, c.start + c.size);
    if (c.id === 'ifil') { body[0] = 2; body[1] = 0; body[2] = 1; body[3] = 0; } // version 2.01
    return chunkBytes(c.id, body);
  }));
  const pdtaOut = list('pdta', pdta.map((c) => chunkBytes(c.id, c.id === 'shdr' ? headers : b.subarray(c.start, c.start + c.size))));
  // The samples go straight into the one output buffer (the font is ~120 MB: no extra copies).
  const smplBytes = total * 2;
  const size = 12 + info.length + 12 + 8 + smplBytes + pdtaOut.length;
  const out = new Uint8Array(size);
  const ov = new DataView(out.buffer);
  const tag = (o: number, id: string) => { for (let i = 0; i < 4; i++) out[o + i] = id.charCodeAt(i); };
  tag(0, 'RIFF'); ov.setUint32(4, size - 8, true); tag(8, 'sfbk');
  out.set(info, 12);
  let o = 12 + info.length;
  tag(o, 'LIST'); ov.setUint32(o + 4, 4 + 8 + smplBytes, true); tag(o + 8, 'sdta');
  tag(o + 12, 'smpl'); ov.setUint32(o + 16, smplBytes, true);
  o += 20;
  const samples = new Int16Array(out.buffer, o, total); // o is even: every chunk before has an even size
  let at = 0;
  for (const pcm of decoded) { samples.set(pcm, at); at += pcm.length + ZERO_TAIL; } // tails stay zero
  out.set(pdtaOut, o + smplBytes);
  return out;
}
