import { freePort } from '../free-port.js';
import type { BrokerHandle, BrokerOptions } from './broker-handle.js';
import { KAFKA_IMAGE } from './kafka-version.js';
import { waitForBroker } from './wait-for-broker.js';
import { warmUpCoordinators } from './warm-up.js';

const CLIENT_PORT = 9092;

/**
 * The official apache/kafka image with the same settings as the local broker. @testcontainers/kafka's
 * KafkaContainer drives Confluent images (/etc/confluent/docker/run), so this uses GenericContainer. The client
 * port is bound to a fixed host port chosen up front because Kafka must advertise the address clients dial.
 */
export async function startContainerBroker(options: BrokerOptions = {}): Promise<BrokerHandle> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const runtime = await getContainerRuntimeClient();
  const host = runtime.info.containerRuntime.host;
  const port = options.port ?? (await freePort());
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: CLIENT_PORT, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      // Clients use PLAINTEXT via the host port; the broker talks to itself (e.g. transaction markers) via BROKER.
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${CLIENT_PORT},CONTROLLER://localhost:9093,BROKER://localhost:9094`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${port},BROKER://localhost:9094`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_NUM_PARTITIONS: String(options.partitions ?? 1),
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: String(options.autoCreateTopics ?? false),
      KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_HEAP_OPTS: '-Xmx512m',
    })
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  const brokers = [`${host}:${port}`];
  const logTail = async (): Promise<string> => {
    const stream = await container.logs({ tail: 30 });
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return text;
  };
  const ready = async (): Promise<void> => {
    try {
      await waitForBroker(brokers, { timeoutMs: options.readyTimeoutMs ?? 60_000 });
      await warmUpCoordinators(brokers);
    } catch (err) {
      const log = await logTail().catch(() => '');
      throw new Error(`${(err as Error).message}\ncontainer log tail:\n${log}`, { cause: err });
    }
  };
  const stop = async (): Promise<void> => {
    await container.stop();
  };
  try {
    await ready();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    brokers,
    kind: 'container',
    stop,
    restart: async () => {
      await container.restart();
      await ready();
    },
  };
}
