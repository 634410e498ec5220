import { randomBytes } from 'node:crypto';

export interface LocalBrokerConfig {
  port: number;
  controllerPort: number;
  dataDir: string;
  partitions: number;
  autoCreateTopics: boolean;
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (Kafka's Uuid format). */
export function newClusterId(): string {
  const id = randomBytes(16).toString('base64url');
  // kafka-storage.sh random-uuid avoids a leading '-', which argument parsers would read as a flag.
  return id.startsWith('-') ? newClusterId() : id;
}

/** server.properties for one node acting as broker and controller; every replication setting is 1. */
export function renderServerProperties(config: LocalBrokerConfig): string {
  const { port, controllerPort } = config;
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': config.dataDir,
    'num.partitions': config.partitions,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'auto.create.topics.enable': config.autoCreateTopics,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Consumer groups join at once instead of waiting 3 s for more members (tests start one group at a time).
    'group.initial.rebalance.delay.ms': 0,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')
    .concat('\n');
}

/** log4j2 properties: the broker logs to a file in its own folder, never to our stdout. */
export function renderLog4j2(logFile: string): string {
  return `status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${logFile}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;
}

/** Replaces keys of a properties text (last one wins in java.util.Properties, but one of each reads better). */
export function mergeProperties(base: string, overrides: string): string {
  const entries = new Map<string, string>();
  for (const line of `${base}\n${overrides}`.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) entries.set(line.slice(0, at), line.slice(at + 1));
  }
  return `${[...entries].map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}
