import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { extname } from 'node:path';

/** Content types by extension, as COS sets them on upload; players pick their decoder from them. */
const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.wav': 'audio/wav',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.zip': 'application/zip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const contentTypeOf = (path: string) => CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

/** The bytes a `Range` header asks for: `{start, end}` (inclusive), 'unsatisfiable', or null to send everything. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  // One range only: a player never asks for several, and serving the whole file is a valid answer to them.
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return null;
  return start >= size ? 'unsatisfiable' : { start, end };
}

/** An error the way COS answers one: an XML body the SDK parses for `Code` and `Message`. */
export function sendCosError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
  headers: Record<string, string> = {},
) {
  const escape = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = Buffer.from(
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${escape(message)}</Message>\n` +
      `  <Resource>${escape(resource)}</Resource>\n  <RequestId>emulator</RequestId>\n  <TraceId>emulator</TraceId>\n</Error>`,
  );
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': body.length, ...headers });
  res.end(body);
}

/**
 * The bucket's CORS answer: the page's origin echoed (a console on another local origin reads the upload's
 * answer and the bytes), the headers a player or uploader reads exposed.
 */
export function cosCorsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'etag, content-length, content-range, accept-ranges', vary: 'Origin' };
}

/** A POST Object form: its text fields, and the bytes of its `file` part (null for a broken body). */
export function parseForm(req: IncomingMessage, body: Buffer): Promise<{ fields: Record<string, string>; file: Buffer | null } | null> {
  return new Promise((resolve) => {
    const fields: Record<string, string> = {};
    let file: Buffer | null = null;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers });
    } catch {
      return resolve(null); // not multipart
    }
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (name === 'file') file = Buffer.concat(chunks);
      });
    });
    parser.on('close', () => resolve({ fields, file }));
    parser.on('error', () => resolve(null));
    parser.end(body);
  });
}
