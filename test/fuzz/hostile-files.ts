/** Hand-made hostile files for the bot's tests: an archive whose headers lie, a crafted MIDI file. */
import { deflateRawSync } from 'node:zlib';

/**
 * A zip of `entries` MIDI-named entries, each a deflate of `inflated` zero bytes, whose local and
 * central headers claim 100 bytes unpacked (and no data descriptor): the archive lies about
 * every size. With the defaults it is about 7.5 MB and would unpack to over 7 GB.
 */
export function lyingZip(entries = 117, inflated = 64 * 1024 * 1024): Uint8Array {
  const data = deflateRawSync(Buffer.alloc(inflated), { level: 9 });
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (let k = 0; k < entries; k++) {
    const name = Buffer.from(`songs/tune${k}.mid`);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0x12345678, 14); // a CRC that is not the data's
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(100, 22); // the lie
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(0x12345678, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(100, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, dir, end]));
}

/**
 * A small MIDI file of the kinds that hung or exhausted the old parser: a track chunk full of
 * 0xFF runs, a meta event whose length is a giant variable-length number, a lying chunk length.
 */
export function craftedMidi(): Uint8Array {
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 3, 0, 96];
  const notes = [0x00, 0x90, 0x3c, 0x50, 0x60, 0x80, 0x3c, 0x00];
  const ffs = new Array(1200).fill(0xff);
  const giantMeta = [0x00, 0xff, 0x03, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x41, 0x42];
  const track = (body: number[], length = body.length) => [0x4d, 0x54, 0x72, 0x6b, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff, ...body];
  return new Uint8Array([...header, ...track([...notes, ...ffs]), ...track(giantMeta), ...track(notes, 0xffffffff)]);
}
