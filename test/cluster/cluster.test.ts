import { afterAll, afterEach, beforeAll } from 'vitest';
import { type LocalClusterHandle, startLocalCluster } from '../../harness/index.js';
import { coordinatorsMove } from './suites/coordinators-move.js';
import { producerFailover } from './suites/producer-failover.js';
import { transactionMarkers } from './suites/transaction-markers.js';

// One local cluster (three nodes, RF 3, min ISR 2) for the cluster suites: starting one takes about 20 s on two
// cores. Each test brings back the node it kills; one that failed half-way leaves no node down for the next.
let cluster: LocalClusterHandle | undefined;
beforeAll(async () => {
  cluster = await startLocalCluster({ nodes: 3, partitions: 6 });
}, 300_000);
afterAll(() => cluster?.stop());
afterEach(async () => {
  for (const node of cluster?.nodes ?? []) await node.start();
}, 300_000);

const clusterOf = (): LocalClusterHandle => {
  if (cluster === undefined) throw new Error('the cluster did not start (see beforeAll)');
  return cluster;
};

producerFailover(clusterOf);
coordinatorsMove(clusterOf);
transactionMarkers(clusterOf);
