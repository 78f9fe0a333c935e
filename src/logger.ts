import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. JSON lines on stderr (stdout is for what a person reads: the QR code,
 * the demo conversation). Phone and ID numbers are masked wherever they appear in a message.
 */
export function createLogger(level: string = 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskPersonalNumbers(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    pino.destination(2),
  );
}

/** Mainland mobile numbers and resident ID numbers, masked but still recognisable. */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}
