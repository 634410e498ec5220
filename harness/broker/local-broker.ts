import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaSettings } from '@ride/shared';
import { runToExit, tail } from '../child-process.js';
import { registerCleanup } from '../exit-hooks.js';
import { freePort } from '../free-port.js';
import { mergeProperties, newClusterId, renderLog4j2, renderServerProperties } from './broker-config.js';
import type { BrokerHandle, BrokerOptions } from './broker-handle.js';
import { classDataSharing } from './class-data-sharing.js';
import { exited, javaArgs, spawnJava, spawnWatchdog, stopJava } from './java-process.js';
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

interface BrokerFiles {
  dir: string;
  properties: string;
  log4j: string;
  brokerLog: string;
  jvmOutput: string;
}

async function prepareFiles(
  options: BrokerOptions,
  security: NodeSecurity | undefined,
): Promise<BrokerFiles & { port: number; secured: Secured | undefined }> {
  const dir = await mkdtemp(join(tmpdir(), 'ride-kafka-'));
  const port = options.port ?? (await freePort());
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const files = {
    dir,
    properties: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'),
    brokerLog: join(dir, 'broker.log'),
    jvmOutput: join(dir, 'jvm-output.log'),
  };
  const config = {
    port,
    controllerPort,
    dataDir: join(dir, 'data'),
    partitions: options.partitions ?? 1,
    autoCreateTopics: options.autoCreateTopics ?? false,
  };
  const secured = await security?.prepare({ dir, port, controllerPort });
  const plain = renderServerProperties(config);
  const properties = secured === undefined ? plain : mergeProperties(plain, secured.properties);
  await writeFile(files.properties, properties, { mode: 0o600 });
  await writeFile(files.log4j, renderLog4j2(files.brokerLog));
  return { ...files, port, secured };
}

/** The JVM's own output, the broker's ERROR/FATAL lines (the cause hides above the shutdown noise), then its tail. */
function logTail(files: BrokerFiles): string {
  const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const brokerLog = read(files.brokerLog);
  const errors = brokerLog
    .split('\n')
    .filter((line) => / (ERROR|FATAL) /.test(line))
    .slice(-10);
  return [
    tail(read(files.jvmOutput), 20),
    errors.length > 0 ? `errors:\n${errors.join('\n')}` : '',
    `last lines:\n${tail(brokerLog, 15)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Formats the KRaft metadata log; with static `controller.quorum.voters` no --standalone is needed. */
async function formatStorage(libs: string, files: BrokerFiles, extraArgs: readonly string[]): Promise<void> {
  const args = ['format', '-t', newClusterId(), '-c', files.properties, ...extraArgs];
  const jvmArgs = [`-Dlog4j2.configurationFile=${files.log4j}`, ...classDataSharing(libs, false).jvmArgs];
  const result = await runToExit(
    'java',
    javaArgs({ libs, mainClass: 'kafka.tools.StorageTool', args, jvmArgs }),
    { cwd: files.dir },
  );
  if (result.code !== 0)
    throw new Error(`kafka StorageTool format failed (exit ${result.code}):\n${tail(result.output)}`);
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
  const files = await prepareFiles(options, security);
  const client = files.secured?.client;
  const brokers = [`127.0.0.1:${files.port}`];
  let jvm: ChildProcess | undefined;
  let keepClassArchive: (cleanExit: boolean) => void = () => {};

  const launch = async (): Promise<void> => {
    const cds = classDataSharing(libs, true);
    keepClassArchive = cds.keep;
    const jvmArgs = [`-Dlog4j2.configurationFile=${files.log4j}`, ...cds.jvmArgs];
    const child = spawnJava(
      { libs, mainClass: 'kafka.Kafka', args: [files.properties], jvmArgs },
      files.jvmOutput,
    );
    jvm = child;
    if (child.pid !== undefined) spawnWatchdog(child.pid, files.dir);
    await waitForBroker(brokers, {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      died: exited(child),
      logTail: () => logTail(files),
      ...(client === undefined ? {} : { client }),
    });
    await warmUpCoordinators(brokers, client);
  };
  const stopProcess = async (): Promise<void> => {
    if (jvm !== undefined) keepClassArchive(await stopJava(jvm));
  };
  // Idempotent: a signal handler and the caller may both stop the broker.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      await stopProcess();
      await rm(files.dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const unregister = registerCleanup({
    stop,
    stopNow: () => {
      jvm?.kill('SIGKILL');
      rmSync(files.dir, { recursive: true, force: true });
    },
  });

  try {
    await formatStorage(libs, files, files.secured?.formatArgs ?? []);
    await launch();
  } catch (err) {
    await stop();
    throw err;
  }
  const restart = async ({ downMs = 0 } = {}): Promise<void> => {
    await stopProcess();
    await new Promise((r) => setTimeout(r, downMs));
    await launch();
  };
  return { brokers, kind: 'local', stop, restart, jvmPid: () => jvm?.pid };
}
