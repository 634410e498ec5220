import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka, createLogger } from '@ride/shared';
import { registerCleanup } from '../exit-hooks.js';
import { freePort } from '../free-port.js';
import { waitFor } from '../wait-for.js';
import { type NodeRoles, newClusterId, renderLog4j2, renderServerProperties } from './broker-config.js';
import type { BrokerHandle, BrokerOptions } from './broker-handle.js';
import { formatStorage, KraftProcess, nodeFiles } from './kraft-process.js';
import { resolveKafkaJars } from './maven-jars.js';
import { waitForBroker } from './wait-for-broker.js';
import { warmUpCoordinators } from './warm-up.js';

/** One node of a local cluster, by its KRaft node id: a test crashes, freezes and brings back nodes through it. */
export interface ClusterNode {
  readonly id: number;
  /** This node's client address, `127.0.0.1:port`. */
  readonly address: string;
  /** SIGKILL, as a machine that dies: no controlled shutdown. */
  kill(): Promise<void>;
  /** SIGTERM: a controlled shutdown that moves leadership away first (a rolling restart's step). */
  stop(): Promise<void>;
  /**
   * Starts the node again on its data and waits until the cluster counts it among its live brokers (with every
   * broker not killed or stopped). Nothing to do for a node that is running.
   */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process stays but answers nothing meanwhile. */
  freeze(): void;
  resume(): void;
  jvmPid(): number | undefined;
}

export interface LocalClusterHandle extends BrokerHandle {
  readonly nodes: readonly ClusterNode[];
  node(id: number): ClusterNode;
  /**
   * Waits until the cluster's metadata lists `count` live brokers: after a kill, the controller has fenced the
   * dead node (its session timed out) and the partitions it led have moved or lost their leader.
   */
  waitForLiveBrokers(count: number, timeoutMs?: number): Promise<void>;
}

export interface ClusterOptions extends Omit<BrokerOptions, 'port'> {
  /** Broker nodes; 3 by default. Without dedicated controllers, each is a controller (KRaft voter) too. */
  nodes?: number;
  /**
   * Dedicated controller-only nodes forming the KRaft quorum (ids from 101), as production clusters run; 0 by
   * default. With them, brokers can die down to one and the controller still shrinks ISRs and moves leaders: what
   * makes "two of three brokers down" refuse writes with NOT_ENOUGH_REPLICAS instead of losing the quorum.
   */
  controllers?: number;
}

const quiet = createLogger({ level: 'silent' });

/**
 * Waits until the cluster's metadata lists `count` live (unfenced) brokers. Always through the default client:
 * kafkajs asks for every topic's metadata and fails while any partition has no leader.
 */
async function waitForLiveBrokers(
  brokers: readonly string[],
  count: number,
  timeoutMs: number,
): Promise<void> {
  const admin = createKafka({ brokers: [...brokers], clientId: 'ride-harness-cluster' }, quiet).admin();
  await admin.connect();
  try {
    let seen = 0;
    await waitFor(
      async () => {
        seen = (await admin.describeCluster().catch(() => ({ brokers: 0 }))).brokers;
        return seen === count;
      },
      timeoutMs,
      () => new Error(`the cluster at ${brokers.join(',')} lists ${seen} live brokers, not ${count}`),
      { intervalMs: 250 },
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * A KRaft cluster on 127.0.0.1 (combined broker+controller nodes, or brokers beside dedicated controllers), from the same Maven jars as the local broker.
 * Every topic, ours and the internal ones, is replicated to all nodes up to 3, and a write needs all but one of
 * them (RF 3, min ISR 2 for three nodes): what a production cluster runs, so a node can die without losing a write.
 */
export async function startLocalCluster(options: ClusterOptions = {}): Promise<LocalClusterHandle> {
  const count = options.nodes ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new Error(`a cluster needs at least 1 node, got ${count}`);
  const controllerCount = options.controllers ?? 0;
  if (!Number.isInteger(controllerCount) || controllerCount < 0)
    throw new Error(`dedicated controllers must be a whole number, got ${controllerCount}`);
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const libs = await resolveKafkaJars();
  const root = await mkdtemp(join(tmpdir(), 'ride-kafka-cluster-'));
  const ports = new Set<number>();
  const takePort = async (): Promise<number> => {
    let port = await freePort();
    while (ports.has(port)) port = await freePort();
    ports.add(port);
    return port;
  };
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const dedicated = controllerCount > 0;
  const placed: { id: number; roles: NodeRoles; port?: number; controllerPort: number }[] = [];
  for (const id of ids)
    placed.push({
      id,
      roles: dedicated ? 'broker' : 'broker,controller',
      port: await takePort(),
      controllerPort: await takePort(),
    });
  for (let i = 0; i < controllerCount; i++)
    placed.push({ id: 101 + i, roles: 'controller', controllerPort: await takePort() });
  const voters = placed
    .filter((n) => n.roles !== 'broker')
    .map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`)
    .join(',');
  const brokers = ids.map((_, i) => `127.0.0.1:${placed[i]?.port}`);
  const processes: KraftProcess[] = [];
  const brokerProcesses: KraftProcess[] = [];

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // SIGKILL, not a controlled shutdown: the data is deleted next, and nodes shutting down together wait on a
    // quorum that is leaving with them.
    stopping ??= (async () => {
      unregister();
      await Promise.all(processes.map((p) => p.kill()));
      await rm(root, { recursive: true, force: true });
    })();
    return stopping;
  };
  const unregister = registerCleanup({
    stop,
    stopNow: () => {
      for (const p of processes) p.killNow();
      rmSync(root, { recursive: true, force: true });
    },
  });

  const launch = async (
    process: KraftProcess,
    address: string,
    controllersDied: Promise<number | string>[] = [],
  ): Promise<void> => {
    const died = Promise.race([process.start(), ...controllersDied]);
    await waitForBroker([address], { timeoutMs: readyTimeoutMs, died, logTail: () => process.logTail() });
  };
  const nodes: ClusterNode[] = [];
  // Brokers killed or stopped and not started again: a start waits for every other broker to be live.
  const down = new Set<number>();
  try {
    const clusterId = newClusterId();
    for (const { id, roles, port, controllerPort } of placed) {
      const files = nodeFiles(join(root, `node-${id}`));
      await mkdir(files.dir);
      const properties = renderServerProperties({
        nodeId: id,
        roles,
        port,
        controllerPort,
        voters,
        dataDir: join(files.dir, 'data'),
        partitions: options.partitions ?? 1,
        autoCreateTopics: options.autoCreateTopics ?? false,
        replication: Math.min(3, count),
      });
      await writeFile(files.properties, properties);
      await writeFile(files.log4j, renderLog4j2(files.brokerLog));
      await formatStorage(libs, files, clusterId);
      const process = new KraftProcess(libs, files);
      processes.push(process);
      if (port === undefined) continue;
      brokerProcesses.push(process);
      const address = `127.0.0.1:${port}`;
      nodes.push({
        id,
        address,
        kill: () => {
          down.add(id);
          return process.kill();
        },
        stop: () => {
          down.add(id);
          return process.stop();
        },
        start: async () => {
          if (!down.has(id)) return;
          await launch(process, address);
          down.delete(id);
          await waitForLiveBrokers(brokers, count - down.size, readyTimeoutMs);
        },
        freeze: () => process.freeze(),
        resume: () => process.resume(),
        jvmPid: () => process.pid(),
      });
    }
    // Controllers have no client port: they are ready when their brokers are (a broker waits for the quorum).
    const controllersDied = processes.filter((p) => !brokerProcesses.includes(p)).map((p) => p.start());
    await Promise.all(
      brokerProcesses.map((process, i) => launch(process, brokers[i] as string, controllersDied)),
    );
    await waitForLiveBrokers(brokers, count, readyTimeoutMs);
    await warmUpCoordinators(brokers);
  } catch (err) {
    await stop();
    throw err;
  }

  const node = (id: number): ClusterNode => {
    const found = nodes.find((n) => n.id === id);
    if (found === undefined) throw new Error(`no node ${id} in this cluster (nodes ${ids.join(', ')})`);
    return found;
  };
  return {
    brokers,
    kind: 'local',
    stop,
    nodes,
    node,
    waitForLiveBrokers: (live, timeoutMs = readyTimeoutMs) => waitForLiveBrokers(brokers, live, timeoutMs),
  };
}
