import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger: JSON lines on stderr by default (stdout is for what a person reads: the
 * QR code, the demo conversation). Phone and ID numbers are masked wherever they appear — in
 * the message, in logged objects, in errors — and an error's query parameters (a resident's
 * words) are left out.
 */
export function createLogger(level: string = 'info', destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      // formatters.log runs first and has made errors plain, masked objects; an error logged some
      // other way still reaches the serializer as an Error.
      serializers: { err: (error: unknown) => (error instanceof Error ? serializeError(error) : error) },
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskPersonalNumbers(a) : a));
          // logger.error(err) with no message: pino would take err.message as it is.
          const [first] = masked;
          const error = first instanceof Error ? first : (first as { err?: unknown } | undefined)?.err;
          if (error instanceof Error && typeof masked[1] !== 'string') {
            masked.splice(0, 1, first instanceof Error ? { err: first } : first, maskPersonalNumbers(error.message));
          }
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/**
 * Uncaught exceptions through the logger, masked like every other line. wechat4u, the default
 * puppet, sets a process-wide listener that prints each one with console.log — unmasked, on stdout —
 * and keeps the process running (its own logout handler throws while WeChat cannot be reached).
 * Listeners a library set are replaced by one that logs and, as before, keeps the process running;
 * with none set, Node's default (the process ends) stands.
 */
export function logUncaughtExceptions(logger: Logger): void {
  const set = process.listeners('uncaughtException');
  if (set.length === 0) return;
  for (const listener of set) process.off('uncaughtException', listener);
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
}

/** A digit as people type it: ASCII or full-width (a Chinese input method's ０–９). */
const d = '[0-9０-９]';
const notDigit = (pattern: string) => `(?<!${d})${pattern}(?!${d})`;
const idGap = '[ \\u3000-]?';
/**
 * Resident ID numbers: 18 digits, the last may be X (also written in groups, `430381 19900101 1234`),
 * and the 15-digit ones issued before 1999 (a birth date YYMMDD in the middle).
 */
const idNumber = new RegExp(notDigit(`(${d}{6}${idGap})(${d}{8})(${idGap}${d}{3}[0-9０-９XxＸｘ])`), 'g');
const oldIdNumber = new RegExp(notDigit(`(${d}{6})(${d}{2}(?:[0０][1-9１-９]|[1１][0-2０-２])${d}{2})(${d}{3})`), 'g');
/** An 11-digit mobile number, even in a range no carrier has yet (a mistyped one is still someone's). */
const mobile = new RegExp(notDigit(`([1１][3-9３-９]${d})(${d}{4})(${d}{4})`), 'g');
/** At least seven digits close together: what a phone number needs before libphonenumber looks. */
const phoneLike = new RegExp(`${d}(?:[^0-9０-９]{0,3}${d}){6}`);
const stars = (digits: string) => '*'.repeat(digits.length);
const asciiDigit = (c: string) => (c >= '０' ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : c);

/**
 * Mainland phone and resident ID numbers, masked but still recognisable: `138****5678`,
 * `0731-****1234`, `430381********1234`. Phone numbers are found by libphonenumber (Google's
 * metadata) however they are written — spaced, with dashes, with +86/0086, in full-width digits,
 * landlines with their area code — and only where they are valid numbers, so case numbers, dates
 * and amounts stay as they are; a digit run longer than a number (a WeChat message id) is left alone.
 */
export function maskPersonalNumbers(text: string): string {
  const withoutIds = text
    .replace(idNumber, (_m, head: string, middle: string, tail: string) => head + stars(middle) + tail)
    .replace(oldIdNumber, (_m, head: string, birth: string, tail: string) => head + stars(birth) + tail);
  return maskPhones(withoutIds).replace(mobile, (_m, head: string, middle: string, tail: string) => head + stars(middle) + tail);
}

function maskPhones(text: string): string {
  if (!phoneLike.test(text)) return text;
  let masked = '';
  let from = 0;
  for (const found of findPhoneNumbersInText(text, 'CN')) {
    masked += text.slice(from, found.startsAt) + maskPhone(text.slice(found.startsAt, found.endsAt), found.number.nationalNumber);
    from = found.endsAt;
  }
  return masked + text.slice(from);
}

/**
 * One phone number as written: its prefix (+86, 0086, the trunk 0) and the national number's first
 * three and last four digits kept, its other digits — and an extension's — starred.
 */
function maskPhone(written: string, national: string): string {
  const digits = [...written.matchAll(/[0-9０-９]/g)];
  const ascii = digits.map((m) => asciiDigit(m[0])).join('');
  const start = Math.max(ascii.indexOf(national), 0);
  const shown = (i: number) => i < start + 3 || (i >= start + national.length - 4 && i < start + national.length);
  const chars = written.split('');
  digits.forEach((m, i) => {
    if (!shown(i)) chars[m.index] = '*';
  });
  return chars.join('');
}

/**
 * Every string inside a value, masked; objects and arrays copied, at most a few levels deep;
 * errors as their fields; a failed query's parameters left out at every level.
 */
function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalNumbers(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  if (value instanceof Date) return value;
  // An Error has no enumerable fields: copied as it is, it would be logged as {}.
  if (value instanceof Error) return serializeError(value, depth + 1);
  const fields = Object.entries(withoutParameters(value as Record<string, unknown>));
  return Object.fromEntries(fields.map(([key, item]) => [key, maskDeep(item, depth + 1)]));
}

/** An error as logged: type, message, stack and own fields, masked, without query parameters. */
function serializeError(error: Error, depth = 0): unknown {
  return maskDeep(pino.stdSerializers.err(error), depth);
}

/**
 * A failed query carries its parameters: the words of whoever wrote. They stay out of the log, and
 * so do the values Postgres quotes in its `detail` (the refused row, a key) and `where` (the JSON
 * it could not read, a parameter) — what failed, on which table and constraint, stays.
 */
function withoutParameters(serialized: Record<string, unknown>): Record<string, unknown> {
  const { parameters: _parameters, driverError: _driverError, ...rest } = serialized;
  if (typeof rest.detail === 'string') rest.detail = withoutValues(rest.detail);
  if (typeof rest.where === 'string') rest.where = withoutValues(rest.where);
  return rest;
}

function withoutValues(text: string): string {
  return text
    .replace(/^(Failing row contains) \(.*\)/s, '$1 (…)')
    .replace(/^(Key \(.*?\))=\(.*\)/s, '$1=(…)')
    .replace(/(JSON data, line \d+:).*?(\n|$)/gs, '$1 …$2')
    .replace(/(portal parameter \$\d+) = .*?(\n|$)/gs, '$1 = …$2');
}
