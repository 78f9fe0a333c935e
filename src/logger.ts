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

/** Mainland mobile numbers and resident ID numbers, masked but still recognisable. */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
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
