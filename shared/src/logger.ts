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
