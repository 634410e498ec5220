import {
  type BaseOptions,
  type ConsumerOptions,
  FetchIsolationLevels,
  type GroupPartitionsAssigner,
} from '@platformatic/kafka';
import { CO_PARTITIONED_ASSIGNOR, coPartitionedAssignment } from '../common/co-partitioned-assignment.js';
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
  const coPartitioned = settings.assignment === 'co-partitioned';
  if (settings.groupProtocol === 'consumer') {
    // KIP-848: the coordinator owns session timeout, heartbeat interval and assignment. Its range assignor gives
    // members with the same subscription the same partition numbers of topics with equal partition counts.
    const assignor = coPartitioned ? { groupRemoteAssignor: 'range' } : {};
    return { ...base, ...fetch, ...assignor, groupProtocol: 'consumer' as const };
  }
  const sessionTimeout = settings.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const assignor = coPartitioned
    ? { protocols: [{ name: CO_PARTITIONED_ASSIGNOR, version: 1 }], partitionAssigner: coPartitionedAssigner }
    : {};
  return {
    ...base,
    ...fetch,
    ...assignor,
    sessionTimeout,
    rebalanceTimeout: Math.max(60_000, sessionTimeout),
    heartbeatInterval: settings.heartbeatIntervalMs ?? 3000,
  };
}

/** coPartitionedAssignment in @platformatic/kafka's assigner shape (the group leader runs it). */
const coPartitionedAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const counts = new Map(
    [...topics].map((topic) => [topic, metadata.topics.get(topic)?.partitionsCount ?? 0]),
  );
  return [...coPartitionedAssignment([...members.keys()], counts)].map(([memberId, owned]) => ({
    memberId,
    assignments: new Map([...owned].map(([topic, partitions]) => [topic, { topic, partitions }])),
  }));
};
