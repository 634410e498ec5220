import type { BrokerHandle, BrokerKind, BrokerOptions } from './broker-handle.js';
import { startContainerBroker } from './container-broker.js';
import { dockerAvailable } from './docker-available.js';
import { startLocalBroker } from './local-broker.js';
import { waitForBroker } from './wait-for-broker.js';

export type HarnessMode = 'auto' | BrokerKind;

export interface StartBrokerOptions extends BrokerOptions {
  /**
   * 'auto' (default): KAFKA_BROKERS if set, else a container if Docker answers, else a local JVM.
   * Defaults to the RIDE_KAFKA_HARNESS environment variable, so a child process can be forced to 'local'.
   */
  mode?: HarnessMode;
}

const MODES: readonly HarnessMode[] = ['auto', 'external', 'container', 'local'];

function modeFromEnv(value: string | undefined): HarnessMode {
  if (value === undefined || value === '') return 'auto';
  if ((MODES as readonly string[]).includes(value)) return value as HarnessMode;
  throw new Error(`RIDE_KAFKA_HARNESS=${value} is not one of ${MODES.join(', ')}`);
}

async function useExternal(value: string | undefined, options: BrokerOptions): Promise<BrokerHandle> {
  const brokers = (value ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0)
    throw new Error('RIDE_KAFKA_HARNESS=external needs KAFKA_BROKERS=host:port[,host:port]');
  await waitForBroker(brokers, { timeoutMs: options.readyTimeoutMs ?? 30_000 });
  return { brokers, kind: 'external', stop: async () => {} };
}

/** Starts (or finds) a Kafka broker for tests, the demo and benchmarks; see StartBrokerOptions.mode. */
export async function startBroker(options: StartBrokerOptions = {}): Promise<BrokerHandle> {
  const mode = options.mode ?? modeFromEnv(process.env.RIDE_KAFKA_HARNESS);
  const external = process.env.KAFKA_BROKERS;
  if (mode === 'external' || (mode === 'auto' && external)) return useExternal(external, options);
  if (mode === 'container' || (mode === 'auto' && (await dockerAvailable())))
    return startContainerBroker(options);
  return startLocalBroker(options);
}
