import { type BaseOptions, type ConsumerOptions, FetchIsolationLevels } from '@platformatic/kafka';
import { DEFAULT_MAX_WAIT_MS } from '../common/fetch-wait.js';
import { DEFAULT_SESSION_TIMEOUT_MS } from '../common/session-lease.js';
import type { ConsumerSettings } from '../port/kafka-port.js';

/** The client options of a consumer with our settings (kafkajs's defaults where the port leaves them unset). */
export function consumerOptions(
  base: BaseOptions,
  settings: ConsumerSettings,
): ConsumerOptions<Buffer, Buffer, Buffer, Buffer> {
  const fetch = {
    groupId: settings.groupId,
    autocommit: false,
    metadataMaxAge: settings.metadataMaxAgeMs ?? 300_000,
    isolationLevel:
      settings.readCommitted === false
        ? FetchIsolationLevels.READ_UNCOMMITTED
        : FetchIsolationLevels.READ_COMMITTED,
    minBytes: settings.minBytes ?? 1,
    maxWaitTime: settings.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    maxBytes: 10_485_760,
    maxBytesPerPartition: settings.maxBytesPerPartition ?? 1_048_576,
  };
  if (settings.groupProtocol === 'consumer') {
    // KIP-848: the coordinator owns session timeout, heartbeat interval and assignment.
    return { ...base, ...fetch, groupProtocol: 'consumer' as const };
  }
  const sessionTimeout = settings.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  return {
    ...base,
    ...fetch,
    sessionTimeout,
    rebalanceTimeout: Math.max(60_000, sessionTimeout),
    heartbeatInterval: settings.heartbeatIntervalMs ?? 3000,
  };
}
