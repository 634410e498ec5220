import { createKafka, type Logger } from '@ride/shared';
import { createTopics, startLocalCluster, uniqueName } from '../../harness/index.js';
import type { ConsumerLaunch } from './consumer-process.js';
import { type LatencyPlan, type LoadPoint, runLatency } from './latency-bench.js';
import { type PipelineRun, runPipeline } from './pipeline-bench.js';
import { runProducerCli } from './producer-cli.js';

export interface ClusterRun {
  /** Brokers, and the KRaft controller nodes beside them (controller-only, as the chaos suite's cluster). */
  nodes: number;
  controllers: number;
  /** Every topic's replicas and min.insync.replicas; our producers wait for all in-sync replicas (acks=all). */
  replication: number;
  min_insync: number;
  /** One consumer process through the preloaded rides, as the single-broker pipeline row. */
  pipeline: PipelineRun;
  /** 5k ev/s offered, with the Kafka-only reader on the same cluster. */
  at_5k: LoadPoint | undefined;
}

/**
 * The single-broker rows again on a local cluster of three brokers and a dedicated controller (RF 3, min ISR 2): the one-process throughput on the
 * same preloaded count, and the 5k ev/s latency point beside the Kafka-only reader.
 */
export async function runOnCluster(
  events: number,
  plan: Omit<LatencyPlan, 'rates' | 'searchSteps'>,
  launch: ConsumerLaunch,
  logger: Logger,
): Promise<ClusterRun> {
  const cluster = await startLocalCluster({ nodes: 3, controllers: 1, partitions: 6 });
  const quiet = logger.child({ component: 'cluster-admin' }, { level: 'fatal' });
  const admin = createKafka({ brokers: cluster.brokers, clientId: 'bench-cluster-admin' }, quiet).admin();
  try {
    await admin.connect();
    logger.info({ brokers: cluster.brokers, events }, 'three-node cluster up: preloading rides');
    const rides = uniqueName('cluster-rides');
    await createTopics(admin, [rides], 6);
    await runProducerCli(
      cluster.brokers,
      rides,
      ['--synthetic', '--limit', String(events), '--max'],
      launch.env,
    );
    const pipeline = await runPipeline(admin, cluster.brokers, rides, events, 1, launch, logger);
    const latency = await runLatency(
      admin,
      cluster.brokers,
      { ...plan, rates: [5000], searchSteps: 0 },
      launch,
      logger,
    );
    return { nodes: 3, controllers: 1, replication: 3, min_insync: 2, pipeline, at_5k: latency[0] };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await cluster.stop();
  }
}
