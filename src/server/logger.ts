/**
 * A minimal structured JSON logger (one line per event). Secrets never reach it: callers pass
 * route templates and codes, never headers, tokens or bodies.
 */
export type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const ORDER: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

export function createLogger(level: Level, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const min = ORDER[level];
  const at = (lvl: Level) => (obj: object | string, msg?: string) => {
    if (ORDER[lvl] < min) return;
    const fields = typeof obj === 'string' ? { msg: obj } : { ...obj, ...(msg ? { msg } : {}) };
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), ...fields }));
  };
  return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}
