import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

// Paths pino must never print: Kafka SASL passwords and anything called password/secret (pino docs, "redaction").
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  '*.*.*.password',
  'sasl.password',
  '*.sasl.password',
  '*.*.sasl.password',
  'KAFKA_SASL_PASSWORD',
  '*.KAFKA_SASL_PASSWORD',
  'secret',
  '*.secret',
  'kafka.sasl',
  'config.kafka.sasl',
];

export interface LoggerSettings {
  level?: string;
  name?: string;
}

export function createLogger(settings: LoggerSettings = {}, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  if (settings.name !== undefined) options.name = settings.name;
  return destination === undefined ? pino(options) : pino(options, destination);
}

/**
 * Process warnings become structured log lines instead of Node's plain stderr text. kafkajs 2.2.4 arms timers with
 * negative delays, which Node clamps to 1 ms as it always did but, since Node 24, reports as a
 * TimeoutNegativeWarning once per process: that one is logged at debug, every other warning at warn.
 */
export function routeProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning')
      logger.debug({ warning: warning.message }, 'process warning');
    else logger.warn({ err: warning }, 'process warning');
  });
}
