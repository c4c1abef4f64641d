/**
 * The fake voice server's UDP side, in its own thread: it answers IP discovery, stamps each
 * RTP packet's arrival, decrypts and decodes it, and posts the result to the test's thread.
 * Arrival times are taken here, so a busy test thread (the bot and the fake share it) never
 * makes gaps appear that the sender did not make, nor hides ones it did.
 */
import { createSocket } from 'node:dgram';
import { parentPort } from 'node:worker_threads';
import OpusScript from 'opusscript';
import { decryptRtpSize } from './voice-crypto.ts';

/** From the test thread: a session's key, or stop. */
export type UdpCommand = { type: 'key'; ssrc: number; key: Uint8Array } | { type: 'stop' };
/** To the test thread. `at`: arrival, ms since the epoch (performance.timeOrigin + now()). */
export type UdpEvent =
  | { type: 'listening'; port: number }
  | { type: 'packet'; ssrc: number; at: number; pcm: Int16Array | null };

const keys = new Map<number, Buffer>();
const opus = new OpusScript(48000, 2, OpusScript.Application.AUDIO);
const udp = createSocket('udp4');
const post = (e: UdpEvent, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(e, transfer);

udp.on('message', (msg, rinfo) => {
  const at = performance.timeOrigin + performance.now();
  if (msg.length === 74 && msg.readUInt16BE(0) === 1) {
    // IP discovery: answer with the address and port we saw.
    const reply = Buffer.alloc(74);
    reply.writeUInt16BE(2, 0);
    reply.writeUInt16BE(70, 2);
    reply.writeUInt32BE(msg.readUInt32BE(4), 4);
    reply.write(rinfo.address, 8, 'utf8');
    reply.writeUInt16BE(rinfo.port, 72);
    udp.send(reply, rinfo.port, rinfo.address);
    return;
  }
  if (msg.length < 12 + 16 + 4 || (msg[0] & 0xc0) !== 0x80) return; // keep-alives and noise
  const ssrc = msg.readUInt32BE(8);
  const key = keys.get(ssrc);
  if (!key) return;
  const plain = decryptRtpSize(msg, key);
  let pcm: Int16Array | null = null;
  if (plain) {
    const decoded = opus.decode(plain);
    pcm = new Int16Array(decoded.buffer, decoded.byteOffset, decoded.length / 2).slice();
  }
  post({ type: 'packet', ssrc, at, pcm }, pcm ? [pcm.buffer as ArrayBuffer] : []);
});

parentPort!.on('message', (m: UdpCommand) => {
  if (m.type === 'key') keys.set(m.ssrc, Buffer.from(m.key));
  else { udp.close(); opus.delete(); parentPort!.close(); }
});

udp.bind(0, '127.0.0.1', () => post({ type: 'listening', port: udp.address().port }));
