import { pino, type Logger as Pino } from 'pino';

/**
 * Structured JSON logs through pino: one line per event, `level` as its name and `time` in ISO-8601.
 * Callers pass route templates and codes, never headers, tokens or bodies; the redaction below is
 * the second line of defence for anything that slips through.
 */
export type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

/**
 * Keys whose values are secrets wherever they sit in a logged object (at the top or up to three
 * levels down, e.g. `req.headers.authorization`, `input.importFrom.ftp.password`): the gateway's and the vendors' auth headers, the
 * write-only inputs (FTP/S3 credentials, raster passwords) and credential objects.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-mapflow-token',
  'x-flai-token',
  'x-cupix-token',
  'x-cupix-auth',
  'x-api-key',
  'token',
  'password',
  'rasterPassword',
  'secretAccessKey',
  'credentials',
  'connectionParams',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_]\w*$/.test(k) ? `.${k}` : `["${k}"]`;
  return [key.replace(/^\./, ''), `*${key}`, `*.*${key}`, `*.*.*${key}`];
});

/** pino instances behind the loggers made here, so a request's child can be a real pino child. */
const pinos = new WeakMap<Logger, Pino>();

class PinoLogger implements Logger {
  constructor(private readonly p: Pino) {
    pinos.set(this, p);
  }
  info = (obj: object | string, msg?: string) => (typeof obj === 'string' ? this.p.info(obj) : this.p.info(obj, msg));
  warn = (obj: object | string, msg?: string) => (typeof obj === 'string' ? this.p.warn(obj) : this.p.warn(obj, msg));
  error = (obj: object | string, msg?: string) => (typeof obj === 'string' ? this.p.error(obj) : this.p.error(obj, msg));
  debug = (obj: object | string, msg?: string) => (typeof obj === 'string' ? this.p.debug(obj) : this.p.debug(obj, msg));
}

/**
 * A pino logger at `level`. Lines go to stdout through pino's own destination, or, when `write` is
 * given, to `write` one line at a time without the trailing newline (tests capture logs this way).
 */
export function createLogger(level: Level, write?: (line: string) => void): Logger {
  const options = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
  };
  const stream = write ? { write: (s: string) => write(s.endsWith('\n') ? s.slice(0, -1) : s) } : pino.destination({ fd: 1, sync: true });
  return new PinoLogger(pino(options, stream));
}

/**
 * The logger of one request: every line it writes carries `requestId`. Nothing is built until the
 * first line (most requests log none), so the hot path pays one small object per request.
 */
export function requestLogger(log: Logger, requestId: string): Logger {
  return new RequestLogger(log, requestId);
}

class RequestLogger implements Logger {
  private child: Logger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly requestId: string,
  ) {}
  info(obj: object | string, msg?: string) {
    this.get().info(obj, msg);
  }
  warn(obj: object | string, msg?: string) {
    this.get().warn(obj, msg);
  }
  error(obj: object | string, msg?: string) {
    this.get().error(obj, msg);
  }
  debug(obj: object | string, msg?: string) {
    this.get().debug(obj, msg);
  }
  private get(): Logger {
    return (this.child ??= childOf(this.parent, { requestId: this.requestId }));
  }
}

function childOf(log: Logger, bindings: Record<string, string>): Logger {
  const p = pinos.get(log);
  if (p) return new PinoLogger(p.child(bindings));
  // Any other Logger (a test's own, say): the bindings are merged into each line.
  const merge = (obj: object | string) => (typeof obj === 'string' ? { ...bindings, msg: obj } : { ...bindings, ...obj });
  return {
    info: (obj, msg) => log.info(merge(obj), msg),
    warn: (obj, msg) => log.warn(merge(obj), msg),
    error: (obj, msg) => log.error(merge(obj), msg),
    debug: (obj, msg) => log.debug(merge(obj), msg),
  };
}

/**
 * Apollo Server's own logger (its start-up notices and the errors it catches outside a request's
 * errors, e.g. a plugin that throws), through ours instead of Apollo's default, which writes to the
 * console. An Error is logged by name, code and message through pino's redaction.
 */
export function apolloLogger(log: Logger): { debug(m?: unknown): void; info(m?: unknown): void; warn(m?: unknown): void; error(m?: unknown): void } {
  const line = (m: unknown): [object, string] => (m instanceof Error ? [{ source: 'apollo', error: m.name }, m.message] : [{ source: 'apollo' }, String(m)]);
  return {
    debug: (m) => log.debug(...line(m)),
    info: (m) => log.info(...line(m)),
    warn: (m) => log.warn(...line(m)),
    error: (m) => log.error(...line(m)),
  };
}

/**
 * A URL fit for a log line or an error: no user, password, query string or fragment (a query may
 * carry a key, e.g. Cupix's `?x-cupix-auth=…` or a presigned URL's signature). Not a URL: `[invalid URL]`.
 */
export function withoutCredentials(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '[invalid URL]';
  }
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  return u.toString();
}
