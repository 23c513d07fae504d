import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../server/admission.js';

/**
 * Headers of one connection (hop-by-hop), not of the request, and those this hop answers
 * itself: `host` (the subgraph's), `expect` (node:http has already told the client to continue).
 */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'expect']);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
  return out;
}

/**
 * The federation gateway's `/uploads/{id}` (every method: PUT, and tus' HEAD, PATCH, OPTIONS), passed
 * on to the subgraph that serves uploads, which signed the URL and checks it (docs/decisions.md,
 * "Federation: uploads served by the jobs subgraph"). The body streams both ways as it comes, with
 * backpressure: nothing is held whole here.
 *
 * - A client that breaks off mid-body breaks the subgraph's request off too, so the subgraph sees
 *   the same short body the client sent (the upload FAILS, nothing half-made at the vendor).
 * - The subgraph may answer before the whole body came (a forged or expired URL, more bytes than
 *   declared, a vendor failure): that answer goes to the client at once, the rest of the body is not
 *   passed on, and the connection closes after it, as the subgraph does.
 * - The subgraph unreachable: 502 `UPSTREAM_UNAVAILABLE`.
 */
export class UploadProxy {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly origin: string) {}

  forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return new Promise<void>((resolve) => {
      let answered = false;
      const upstream = request(new URL(req.url ?? '/', this.origin), { method: req.method, headers: endToEnd(req.headers), agent: this.agent });
      upstream.on('response', (answer) => {
        answered = true;
        if (!req.complete) {
          req.unpipe(upstream);
          res.setHeader('connection', 'close');
          req.resume();
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        pipeline(answer, res).then(resolve, () => resolve());
      });
      upstream.on('error', () => {
        // After an answer, only the rest of a body it did not wait for can fail: nothing to do.
        if (answered) return;
        if (!res.headersSent && !res.destroyed) {
          res.setHeader('connection', 'close');
          sendJson(res, 502, { error: 'The upload service is unavailable; try again shortly.', code: 'UPSTREAM_UNAVAILABLE' });
        }
        req.resume();
        resolve();
      });
      req.once('close', () => {
        if (!req.complete && !answered) upstream.destroy();
      });
      req.pipe(upstream);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
