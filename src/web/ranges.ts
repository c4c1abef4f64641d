/**
 * Bytes over HTTP with range requests (RFC 9110 §14): `<audio>` needs them to seek and to
 * know the duration. One range per request (what browsers send for media).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

/**
 * The byte range a `Range` header asks for, null for the whole body, 'invalid' when unsatisfiable.
 * @example parseRange('bytes=0-99', 1000) // { start: 0, end: 99 }
 * @example parseRange('bytes=-100', 1000) // { start: 900, end: 999 }
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return header.includes(',') ? null : 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

/** Sends bytes, honouring `Range` and `If-None-Match`; `download` names the file for "save as". */
export function sendBytes(req: FastifyRequest, reply: FastifyReply, bytes: Uint8Array, type: string, download?: string): FastifyReply {
  const etag = `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 20)}"`;
  reply.header('accept-ranges', 'bytes').header('etag', etag).header('cache-control', 'private, max-age=300').type(type);
  if (download) reply.header('content-disposition', `attachment; filename="${download.replace(/[^\w.-]+/g, '_')}"`);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  const range = parseRange(req.headers.range, bytes.length);
  if (range === 'invalid') return reply.code(416).header('content-range', `bytes */${bytes.length}`).send();
  if (!range) return reply.code(200).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${bytes.length}`)
    .send(Buffer.from(bytes.buffer, bytes.byteOffset + range.start, range.end - range.start + 1));
}
