/** One file part of a `multipart/form-data` body. */
export interface FilePart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/**
 * The parts of a `multipart/form-data` body, or a reason when it cannot be read. A body that stops
 * before its closing boundary (`--boundary--`) is refused whole: a truncated upload never makes an
 * image.
 */
export function parseMultipart(contentType: string | undefined, body: Buffer): FilePart[] | string {
  const m = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!m) return 'Content-Type must be multipart/form-data with a boundary';
  const boundary = `--${m[1] ?? m[2]}`;
  const parts: FilePart[] = [];
  let at = body.indexOf(boundary);
  if (at < 0) return 'The multipart body has no part';
  for (;;) {
    const after = at + boundary.length;
    if (body.toString('latin1', after, after + 2) === '--') return parts;
    const headerEnd = body.indexOf('\r\n\r\n', after);
    if (headerEnd < 0) return 'The multipart body is truncated';
    const next = body.indexOf(`\r\n${boundary}`, headerEnd + 4);
    if (next < 0) return 'The multipart body is truncated';
    const headers = body.toString('utf8', after + 2, headerEnd);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? null;
    parts.push({ name, filename, contentType: type, data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}
