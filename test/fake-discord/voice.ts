/**
 * A fake Discord voice server: voice gateway v8 over wss (self-signed certificate made at
 * test time) and a UDP endpoint. It speaks the flow without DAVE (dave_protocol_version 0),
 * decrypts aead_aes256_gcm_rtpsize RTP packets and decodes the Opus to PCM so a test can
 * check what the bot played. The UDP side runs in its own thread (voice-udp.ts), which stamps
 * each packet's arrival.
 */
import { createServer, type Server } from 'node:https';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { UdpCommand, UdpEvent } from './voice-udp.ts';

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
  /**
   * When each packet arrived (ms on this thread's performance.now() scale), stamped by the UDP
   * thread as it arrived: gaps in playback show here, and only those.
   */
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
  private udp: Worker;
  private listening: Promise<number>;
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
    this.udp = new Worker(new URL('./voice-udp.ts', import.meta.url));
    this.listening = new Promise<number>((resolve, reject) => {
      this.udp.on('message', (e: UdpEvent) => { if (e.type === 'packet') this.onPacket(e); else resolve(e.port); });
      this.udp.once('error', reject);
    });
  }

  /** Listen on random ports of 127.0.0.1. */
  async start(): Promise<void> {
    await new Promise<void>((r) => this.https.listen(0, '127.0.0.1', r));
    this.wsPort = (this.https.address() as { port: number }).port;
    this.udpPort = await this.listening;
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
    const exited = new Promise((r) => this.udp.once('exit', r));
    this.command({ type: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    await this.udp.terminate();
  }

  private command(c: UdpCommand): void {
    this.udp.postMessage(c);
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
        this.command({ type: 'key', ssrc: session.ssrc, key: new Uint8Array(session.secretKey) });
        send(OP.SESSION_DESCRIPTION, { mode: session.mode, secret_key: [...session.secretKey], dave_protocol_version: 0 });
      } else if (msg.op === OP.SPEAKING && session) {
        session.speaking.push(Boolean(msg.d.speaking));
      }
      this.changed();
    });
  }

  private onPacket(e: Extract<UdpEvent, { type: 'packet' }>): void {
    const session = this.bySsrc.get(e.ssrc);
    if (!session) return;
    session.packets++;
    session.arrivals.push(e.at - performance.timeOrigin);
    if (e.pcm) session.pcm.push(e.pcm);
    else session.badPackets++;
    this.changed();
  }
}

export { decryptRtpSize } from './voice-crypto.ts';
