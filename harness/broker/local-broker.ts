import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaSettings } from '@ride/shared';
import { registerCleanup } from '../exit-hooks.js';
import { freePort } from '../free-port.js';
import { mergeProperties, newClusterId, renderLog4j2, renderServerProperties } from './broker-config.js';
import type { BrokerHandle, BrokerOptions } from './broker-handle.js';
import { formatStorage, KraftProcess, type NodeFiles, nodeFiles } from './kraft-process.js';
import { resolveKafkaJars } from './maven-jars.js';
import { waitForBroker } from './wait-for-broker.js';
import { warmUpCoordinators } from './warm-up.js';

/** A local broker can always restart; its JVM pid lets a test see that a restart really replaced the process. */
export interface LocalBrokerHandle extends BrokerHandle {
  restart(options?: { downMs?: number }): Promise<void>;
  /** The pid of the broker JVM now running (a new one after each restart); undefined if it failed to spawn. */
  jvmPid(): number | undefined;
}

/** What a secured node changes on the plaintext one: its listeners, the storage format's extra arguments, how the harness connects. */
export interface NodeSecurity {
  /** Writes its certificates into the node's folder; properties over the plaintext ones, for these ports. */
  prepare(node: { dir: string; port: number; controllerPort: number }): Promise<{
    properties: string;
    formatArgs: readonly string[];
    client: Pick<KafkaSettings, 'ssl' | 'sasl'>;
  }>;
}

type Secured = Awaited<ReturnType<NodeSecurity['prepare']>>;

async function prepareFiles(
  options: BrokerOptions,
  security: NodeSecurity | undefined,
): Promise<{ files: NodeFiles; port: number; secured: Secured | undefined }> {
  const files = nodeFiles(await mkdtemp(join(tmpdir(), 'ride-kafka-')));
  const port = options.port ?? (await freePort());
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const config = {
    port,
    controllerPort,
    dataDir: join(files.dir, 'data'),
    partitions: options.partitions ?? 1,
    autoCreateTopics: options.autoCreateTopics ?? false,
  };
  const secured = await security?.prepare({ dir: files.dir, port, controllerPort });
  const plain = renderServerProperties(config);
  const properties = secured === undefined ? plain : mergeProperties(plain, secured.properties);
  await writeFile(files.properties, properties, { mode: 0o600 });
  await writeFile(files.log4j, renderLog4j2(files.brokerLog));
  return { files, port, secured };
}

/** A single KRaft node (broker + controller) run from the Maven jars, on 127.0.0.1 and free ports. */
export function startLocalBroker(options: BrokerOptions = {}): Promise<LocalBrokerHandle> {
  return startKraftNode(options, undefined);
}

/** The local broker's lifecycle (format, start, wait, warm up, restart, stop, cleanup), plaintext or secured. */
export async function startKraftNode(
  options: BrokerOptions,
  security: NodeSecurity | undefined,
): Promise<LocalBrokerHandle> {
  const libs = await resolveKafkaJars();
  const { files, port, secured } = await prepareFiles(options, security);
  const client = secured?.client;
  const brokers = [`127.0.0.1:${port}`];
  const node = new KraftProcess(libs, files);

  const launch = async (): Promise<void> => {
    const died = node.start();
    await waitForBroker(brokers, {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      died,
      logTail: () => node.logTail(),
      ...(client === undefined ? {} : { client }),
    });
    await warmUpCoordinators(brokers, client);
  };
  // Idempotent: a signal handler and the caller may both stop the broker.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      await node.stop();
      await rm(files.dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const unregister = registerCleanup({
    stop,
    stopNow: () => {
      node.killNow();
      rmSync(files.dir, { recursive: true, force: true });
    },
  });

  try {
    await formatStorage(libs, files, newClusterId(), secured?.formatArgs ?? []);
    await launch();
  } catch (err) {
    await stop();
    throw err;
  }
  const restart = async ({ downMs = 0 } = {}): Promise<void> => {
    await node.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await launch();
  };
  return { brokers, kind: 'local', stop, restart, jvmPid: () => node.pid() };
}
