/**
 * A fake Discord voice server: voice gateway v8 over wss (self-signed certificate made at
 * test time) and a UDP endpoint. It speaks the flow without DAVE (dave_protocol_version 0),
 * decrypts aead_aes256_gcm_rtpsize RTP packets and decodes the Opus to PCM so a test can
 * check what the bot played.
 */
import { createServer, type Server } from 'node:https';
import { createSocket, type Socket } from 'node:dgram';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import OpusScript from 'opusscript';

export interface TlsPair {
  key: string;
  cert: string;
}

/** A throwaway self-signed certificate for 127.0.0.1 (openssl). */
export function selfSignedCert(): TlsPair {
  const dir = mkdtempSync(join(tmpdir(), 'fake-voice-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One voice session as the fake saw it. */
export interface VoiceSession {
  serverId: string;
  userId: string;
  sessionId: string;
  token: string;
  maxDaveProtocolVersion: number;
  ssrc: number;
  mode?: string;
  secretKey?: Buffer;
  speaking: boolean[];
  /** Encrypted RTP packets received. */
  packets: number;
  /** Packets that failed to decrypt. */
  badPackets: number;
  /** When each packet arrived (performance.now(), ms): gaps in playback show here. */
  arrivals: number[];
  /** Decoded audio: 48 kHz stereo interleaved s16. */
  pcm: Int16Array[];
}

/** Total samples (per channel) decoded so far in a session. */
export function decodedFrames(s: VoiceSession): number {
  return s.pcm.reduce((n, c) => n + c.length / 2, 0);
}

/** The session's decoded audio as one array (stereo interleaved). */
export function joinedPcm(s: VoiceSession): Int16Array {
  const out = new Int16Array(s.pcm.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of s.pcm) { out.set(c, o); o += c.length; }
  return out;
}

const OP = { IDENTIFY: 0, SELECT_PROTOCOL: 1, READY: 2, HEARTBEAT: 3, SESSION_DESCRIPTION: 4, SPEAKING: 5, HEARTBEAT_ACK: 6, HELLO: 8 } as const;

export class FakeVoiceServer {
  readonly sessions: VoiceSession[] = [];
  readonly tls: TlsPair;
  private https: Server;
  private wss: WebSocketServer;
  private udp: Socket;
  private opus = new OpusScript(48000, 2, OpusScript.Application.AUDIO);
  private bySsrc = new Map<number, VoiceSession>();
  private nextSsrc = 1000;
  private listeners = new Set<() => void>();
  wsPort = 0;
  udpPort = 0;

  constructor(tls: TlsPair = selfSignedCert()) {
    this.tls = tls;
    this.https = createServer({ key: tls.key, cert: tls.cert });
    this.wss = new WebSocketServer({ server: this.https });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    this.udp = createSocket('udp4');
    this.udp.on('message', (msg, rinfo) => this.onUdp(msg, rinfo.address, rinfo.port));
  }

  /** Listen on random ports of 127.0.0.1. */
  async start(): Promise<void> {
    await new Promise<void>((r) => this.https.listen(0, '127.0.0.1', r));
    this.wsPort = (this.https.address() as { port: number }).port;
    await new Promise<void>((r) => this.udp.bind(0, '127.0.0.1', r));
    this.udpPort = this.udp.address().port;
  }

  /** The endpoint string for VOICE_SERVER_UPDATE. */
  get endpoint(): string {
    return `127.0.0.1:${this.wsPort}`;
  }

  /** Calls `fn` whenever something is received. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    await new Promise<void>((r) => this.https.close(() => r()));
    this.https.closeAllConnections?.();
    this.udp.close();
    this.opus.delete();
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  private onConnection(ws: WebSocket): void {
    let seq = 0;
    let session: VoiceSession | undefined;
    const send = (op: number, d: unknown) => ws.send(JSON.stringify({ op, d, seq: ++seq }));
    send(OP.HELLO, { heartbeat_interval: 13750 });
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return; // DAVE binary opcodes never come without DAVE
      const msg = JSON.parse(raw.toString()) as { op: number; d: any };
      if (msg.op === OP.IDENTIFY) {
        session = {
          serverId: msg.d.server_id, userId: msg.d.user_id, sessionId: msg.d.session_id, token: msg.d.token,
          maxDaveProtocolVersion: msg.d.max_dave_protocol_version ?? 0, ssrc: this.nextSsrc++,
          speaking: [], packets: 0, badPackets: 0, arrivals: [], pcm: [],
        };
        this.sessions.push(session);
        this.bySsrc.set(session.ssrc, session);
        send(OP.READY, { ssrc: session.ssrc, ip: '127.0.0.1', port: this.udpPort, modes: ['aead_aes256_gcm_rtpsize', 'aead_xchacha20_poly1305_rtpsize'], heartbeat_interval: 13750 });
      } else if (msg.op === OP.HEARTBEAT) {
        send(OP.HEARTBEAT_ACK, { t: msg.d?.t ?? msg.d });
      } else if (msg.op === OP.SELECT_PROTOCOL && session) {
        session.mode = msg.d.data.mode;
        session.secretKey = randomBytes(32);
        send(OP.SESSION_DESCRIPTION, { mode: session.mode, secret_key: [...session.secretKey], dave_protocol_version: 0 });
      } else if (msg.op === OP.SPEAKING && session) {
        session.speaking.push(Boolean(msg.d.speaking));
      }
      this.changed();
    });
  }

  private onUdp(msg: Buffer, address: string, port: number): void {
    if (msg.length === 74 && msg.readUInt16BE(0) === 1) {
      // IP discovery: answer with the address and port we saw.
      const reply = Buffer.alloc(74);
      reply.writeUInt16BE(2, 0);
      reply.writeUInt16BE(70, 2);
      reply.writeUInt32BE(msg.readUInt32BE(4), 4);
      reply.write(address, 8, 'utf8');
      reply.writeUInt16BE(port, 72);
      this.udp.send(reply, port, address);
      return;
    }
    if (msg.length < 12 + 16 + 4 || (msg[0] & 0xc0) !== 0x80) return; // keep-alives and noise
    const session = this.bySsrc.get(msg.readUInt32BE(8));
    if (!session?.secretKey) return;
    session.packets++;
    session.arrivals.push(performance.now());
    const opus = decryptRtpSize(msg, session.secretKey);
    if (!opus) {
      session.badPackets++;
    } else {
      const decoded = this.opus.decode(opus);
      session.pcm.push(new Int16Array(decoded.buffer, decoded.byteOffset, decoded.length / 2).slice());
    }
    this.changed();
  }
}

/** Decrypts one aead_aes256_gcm_rtpsize packet: header(AAD) | ciphertext | tag(16) | nonce(4). */
export function decryptRtpSize(packet: Buffer, key: Buffer): Buffer | null {
  const hasExtension = (packet[0] & 0x10) !== 0;
  const csrc = packet[0] & 0x0f;
  // In rtpsize modes the fixed header, CSRCs and the 4-byte extension header are unencrypted.
  const headerLen = 12 + csrc * 4 + (hasExtension ? 4 : 0);
  const aad = packet.subarray(0, headerLen);
  const nonce = Buffer.alloc(12);
  packet.copy(nonce, 0, packet.length - 4);
  const tag = packet.subarray(packet.length - 20, packet.length - 4);
  const body = packet.subarray(headerLen, packet.length - 20);
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAAD(aad);
    d.setAuthTag(tag);
    let plain = Buffer.concat([d.update(body), d.final()]);
    if (hasExtension) {
      const extWords = packet.readUInt16BE(12 + csrc * 4 + 2);
      plain = plain.subarray(extWords * 4);
    }
    return plain;
  } catch {
    return null;
  }
}
