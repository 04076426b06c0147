import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/**
 * The server's logger: JSON lines, no pid or hostname, and any field that could carry a key
 * censored wherever it appears, as a second line of defence (the app logs key ids only).
 *
 * @example
 * ```ts
 * const logger = createLogger(pino.destination(1));
 * ```
 */
export function createLogger(destination: DestinationStream): Logger {
  return pino(
    {
      base: null,
      redact: {
        paths: ['apiKey', '*.apiKey', 'key', '*.key', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', 'body', '*.body'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
