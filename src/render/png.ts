/** A minimal PNG encoder (RGB, 8-bit, "sub" filter + zlib): fast for flat-colour drawings. */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes RGBA pixels (alpha ignored) as an RGB PNG. @example encodePng(rgba, 2, 2) */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = 1; // "sub": each byte minus the one 3 to its left, so flat runs become zeros
    let src = y * width * 4;
    let pr = 0, pg = 0, pb = 0;
    for (let x = 0; x < width; x++, src += 4) {
      const r = rgba[src], g = rgba[src + 1], b = rgba[src + 2];
      const o = row + 1 + x * 3;
      raw[o] = (r - pr) & 0xff; raw[o + 1] = (g - pg) & 0xff; raw[o + 2] = (b - pb) & 0xff;
      pr = r; pg = g; pb = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))]));
}
