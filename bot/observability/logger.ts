/**
 * Structured logs with no contents. Safeguarding data (names, report text, action text,
 * card bodies, tokens) must never reach a log, so the logger only accepts an event name and
 * a small set of scalar fields, and drops any field whose name suggests content.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

const FORBIDDEN_FIELD = /text|note|body|name|email|token|password|secret|content|card|report|reason|title|initials|upn/i;

/**
 * An error's class name ("RestError", "SqliteError") says what failed without saying anything
 * about whom: kept although its key contains "name", and only when it looks like an identifier.
 */
const IDENTIFIER_FIELDS = new Set(['errorName']);
const IDENTIFIER = /^[A-Za-z_$][\w$.]{0,63}$/;

export function createJsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), minLevel: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return {
    log(level, event, fields = {}) {
      if (order.indexOf(level) < order.indexOf(minLevel)) return;
      const safe: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        if (IDENTIFIER_FIELDS.has(key)) {
          safe[key] = typeof value === 'string' && IDENTIFIER.test(value) ? value : 'unrecognised';
          continue;
        }
        if (FORBIDDEN_FIELD.test(key)) continue;
        safe[key] = typeof value === 'string' ? value.slice(0, 200) : value;
      }
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...safe }));
    },
  };
}

export const silentLogger: Logger = { log() {} };
