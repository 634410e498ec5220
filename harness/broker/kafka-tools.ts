import { runChecked } from '../child-process.js';
import { javaArgs } from './java-process.js';
import { resolveKafkaJars } from './maven-jars.js';

/** Runs one of Kafka's command-line tools (its main class, from the broker's Maven jars); returns what it printed. */
export async function runKafkaTool(mainClass: string, args: readonly string[]): Promise<string> {
  const libs = await resolveKafkaJars();
  // The harness broker's JVM settings, marked so leftover JVMs can be found.
  const { stdout } = await runChecked('java', javaArgs({ libs, mainClass, args }));
  return stdout;
}

/** The node that coordinates `groupId`, as `kafka-consumer-groups --describe --state` reports it. */
export async function groupCoordinator(brokers: readonly string[], groupId: string): Promise<number> {
  const out = await runKafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    brokers.join(','),
    '--describe',
    '--group',
    groupId,
    '--state',
  ]);
  // GROUP  COORDINATOR (ID)  ASSIGNMENT-STRATEGY  STATE  #MEMBERS — the coordinator as "host:port (id)".
  const row = out.split('\n').find((line) => line.startsWith(`${groupId} `));
  const id = row === undefined ? undefined : /\((\d+)\)/.exec(row)?.[1];
  if (id === undefined) throw new Error(`no coordinator for group ${groupId} in:\n${out}`);
  return Number(id);
}

/** The coordinator of every transactional id the cluster knows, as `kafka-transactions list` reports them. */
export async function transactionCoordinators(brokers: readonly string[]): Promise<Map<string, number>> {
  const out = await runKafkaTool('org.apache.kafka.tools.TransactionsCommand', [
    '--bootstrap-server',
    brokers.join(','),
    'list',
  ]);
  // TransactionalId  Coordinator  ProducerId  TransactionState
  const coordinators = new Map<string, number>();
  for (const line of out.split('\n').slice(1)) {
    const [id, coordinator] = line.trim().split(/\s+/);
    if (id && coordinator && /^\d+$/.test(coordinator)) coordinators.set(id, Number(coordinator));
  }
  return coordinators;
}

/** Moves every partition's leadership back to its preferred replica (`kafka-leader-election --election-type PREFERRED`). */
export async function electPreferredLeaders(brokers: readonly string[]): Promise<void> {
  await runKafkaTool('org.apache.kafka.tools.LeaderElectionCommand', [
    '--bootstrap-server',
    brokers.join(','),
    '--election-type',
    'PREFERRED',
    '--all-topic-partitions',
  ]);
}

/**
 * Whether every partition of `topic` is led by its preferred (first-listed) replica, as `kafka-topics --describe`
 * reports them. A preferred-leader election skips a partition whose preferred replica is not back in sync yet.
 */
export async function onPreferredLeaders(brokers: readonly string[], topic: string): Promise<boolean> {
  const out = await runKafkaTool('org.apache.kafka.tools.TopicCommand', [
    '--bootstrap-server',
    brokers.join(','),
    '--describe',
    '--topic',
    topic,
  ]);
  // "\tTopic: t\tPartition: 0\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,3,1 ..."
  const rows = [...out.matchAll(/Leader: (-?\d+)\s+Replicas: (\d+)/g)];
  return rows.length > 0 && rows.every(([, leader, preferred]) => leader === preferred);
}
