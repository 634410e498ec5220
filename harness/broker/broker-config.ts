import { randomBytes } from 'node:crypto';

/** What a KRaft node does: both (a single broker, or a cluster without dedicated controllers), or one of them. */
export type NodeRoles = 'broker,controller' | 'broker' | 'controller';

export interface LocalBrokerConfig {
  /** This node's id; 1 for a single node. */
  nodeId?: number;
  /** Broker and controller unless said otherwise. */
  roles?: NodeRoles;
  /** The client port; a controller-only node has none. */
  port?: number;
  controllerPort: number;
  /** `id@host:port` of every controller (KRaft voter), comma-separated; this node alone when omitted. */
  voters?: string;
  dataDir: string;
  partitions: number;
  autoCreateTopics: boolean;
  /** Replicas of every topic (ours and the internal ones), 1 for a single node; min ISR is one less, at least 1. */
  replication?: number;
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (Kafka's Uuid format). */
export function newClusterId(): string {
  const id = randomBytes(16).toString('base64url');
  // kafka-storage.sh random-uuid avoids a leading '-', which argument parsers would read as a flag.
  return id.startsWith('-') ? newClusterId() : id;
}

/** The listeners of a node in its roles: a broker's client port, a controller's quorum port. */
function listenerSettings(
  roles: NodeRoles,
  port: number | undefined,
  controllerPort: number,
): Record<string, string> {
  const controller = `CONTROLLER://127.0.0.1:${controllerPort}`;
  if (roles === 'controller') return { listeners: controller };
  if (port === undefined) throw new Error(`a node with roles ${roles} needs a client port`);
  const client = `PLAINTEXT://127.0.0.1:${port}`;
  return {
    listeners: roles === 'broker' ? client : `${client},${controller}`,
    'advertised.listeners': client,
    'inter.broker.listener.name': 'PLAINTEXT',
  };
}

/**
 * server.properties for one KRaft node. A single node replicates nothing; in a cluster every topic has
 * `replication` replicas and accepts a write once all but one have it (RF 3, min ISR 2). The topic defaults go to
 * every node: a controller places new topics' replicas, a broker enforces min ISR.
 */
export function renderServerProperties(config: LocalBrokerConfig): string {
  const { port, controllerPort } = config;
  const nodeId = config.nodeId ?? 1;
  const roles = config.roles ?? 'broker,controller';
  const replication = config.replication ?? 1;
  const minIsr = Math.max(1, replication - 1);
  const settings: Record<string, string | number | boolean> = {
    'process.roles': roles,
    'node.id': nodeId,
    'controller.quorum.voters': config.voters ?? `${nodeId}@127.0.0.1:${controllerPort}`,
    ...listenerSettings(roles, port, controllerPort),
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': config.dataDir,
    'num.partitions': config.partitions,
    'default.replication.factor': replication,
    'min.insync.replicas': minIsr,
    'auto.create.topics.enable': config.autoCreateTopics,
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': minIsr,
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
