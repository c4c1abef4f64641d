/** Decryption of Discord voice RTP packets (aead_aes256_gcm_rtpsize), for the fake voice server. */
import { createDecipheriv } from 'node:crypto';

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
