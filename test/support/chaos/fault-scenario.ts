import { createKafka, createLogger, type KafkaAdmin, type KafkaClient } from '@ride/shared';
import { expect, inject } from 'vitest';
import { recordCount, type StreamTopics, uniqueName } from '../../../harness/index.js';
import { type ConsumerProcess, startConsumer } from '../consumer-process.js';
import { checkDelivery, type DeliveryReport } from '../delivery-check.js';
import { waitCaughtUp, waitProgress } from '../group-progress.js';
import { keepLog } from '../keep-log.js';
import { type ProducerSummary, startStream } from '../stream-producer.js';
import { createStreamTopics } from '../stream-topics.js';
import { disconnectAfterTest, testClient } from '../test-kafka.js';
import { chaosProfile } from './chaos-profile.js';
import { type FaultRow, type Guarantee, reportFault } from './fault-report.js';
import { waitBalanced } from './members.js';

/** What a fault gets to work with: the live members (it may replace them) and a way to start more. */
export interface Pipeline {
  brokers: readonly string[];
  kafka: KafkaClient;
  admin: KafkaAdmin;
  topics: StreamTopics;
  groupId: string;
  partitions: number;
  members: ConsumerProcess[];
  startMember(env?: Record<string, string>): Promise<ConsumerProcess>;
}

export interface ScenarioOptions {
  fault: string;
  guarantee: Guarantee;
  /** Defaults to the shared integration broker. */
  brokers?: readonly string[];
  partitions?: number;
  /** Members running before the stream starts. */
  members?: number;
  memberEnv?: Record<string, string>;
  /** Injects the fault `repetitions` times mid-stream; returns one recovery time per repetition. */
  inject(pipeline: Pipeline): Promise<number[]>;
}

export interface ScenarioResult {
  row: FaultRow;
  delivery: DeliveryReport;
  producer: ProducerSummary;
}

// Short sessions so a dead member is noticed in seconds (the broker's floor is 6 s).
export const FAST_SESSION = { SESSION_TIMEOUT_MS: '6000', HEARTBEAT_INTERVAL_MS: '1000' };

export function kafkaFor(brokers: readonly string[]): KafkaClient {
  return createKafka(
    { brokers, clientId: uniqueName('chaos'), ...testClient() },
    createLogger({ level: 'error' }),
  );
}

/**
 * One stream through a consumer group with a fault injected mid-stream, then the invariant check:
 * every ride answered, no committed offset ahead of its outcome; duplicates counted (and none among
 * committed predictions in exactly-once mode). Reports the row for the closing table.
 */
export async function runFaultScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const brokers = options.brokers ?? inject('kafkaBrokers');
  const partitions = options.partitions ?? 6;
  const kafka = kafkaFor(brokers);
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  const topics = await createStreamTopics(kafka, partitions);
  const groupId = uniqueName('g');
  const baseEnv = {
    KAFKA_BROKERS: brokers.join(','),
    PROCESSING_GUARANTEE: options.guarantee,
    MAX_BATCH: '200',
    ...FAST_SESSION,
    ...options.memberEnv,
  };
  const startMember = (env: Record<string, string> = {}) =>
    startConsumer(topics, groupId, { ...baseEnv, ...env });
  const members: ConsumerProcess[] = [];
  for (let i = 0; i < (options.members ?? 2); i++) members.push(await startMember());
  await waitBalanced(members, partitions);

  const stream = startStream(brokers, topics, [
    '--synthetic',
    '--seed',
    String(Math.floor(Math.random() * 1e9)),
    '--rate',
    String(chaosProfile().rate),
    '--batch-size',
    '100',
  ]);
  await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
  const pipeline: Pipeline = { brokers, kafka, admin, topics, groupId, partitions, members, startMember };
  const recoveryMs = await withMemberLogs(members, () => options.inject(pipeline));
  const producer = await stream.stop();

  await withMemberLogs(members, () => waitCaughtUp(admin, groupId, topics.rides));
  const events = await recordCount(admin, topics.rides);
  const isolation = options.guarantee === 'exactly_once' ? 'read_committed' : 'read_uncommitted';
  const delivery = await checkDelivery(kafka, topics, groupId, events, isolation);
  const row: FaultRow = {
    fault: options.fault,
    guarantee: options.guarantee,
    repetitions: recoveryMs.length,
    events,
    lost: delivery.lost.length,
    duplicates: delivery.duplicates,
    recoveryMs,
  };
  reportFault(row);
  for (const member of pipeline.members) {
    const code = await stopWithin(member, MEMBER_STOP_BOUND_MS);
    if (code === 'hung') keepLog(`${groupId}-${member.child.pid}-hung`, member.output());
    expect(code, member.output()).toBe(0);
  }
  // KEEP_TEST_LOGS=1 keeps the members' and the producer CLI's logs of passing scenarios too (members' are kept on
  // failure anyway).
  if (process.env.KEEP_TEST_LOGS) {
    for (const m of pipeline.members) keepLog(`${groupId}-${m.child.pid}`, m.output());
    keepLog(`${groupId}-producer`, producer.output);
  }
  return { row, delivery, producer };
}

/**
 * Longer than any clean stop: the scorer's shutdown timeout, and the client's hung-leave allowance after it
 * (docs/clients.md). A member still running then never would have.
 */
const MEMBER_STOP_BOUND_MS = 120_000;

/** SIGTERM and the exit code; 'hung' (the member SIGKILLed, its log kept) when it has not exited within `ms`. */
async function stopWithin(member: ConsumerProcess, ms: number): Promise<number | null | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    const code = await Promise.race([member.stop('SIGTERM'), bound]);
    if (code === 'hung') await member.stop('SIGKILL');
    return code;
  } finally {
    clearTimeout(timer);
  }
}

/** The invariant every fault must keep; exactly-once adds "no ride predicted twice among committed records". */
export function expectDeliveryKept(result: ScenarioResult, guarantee: Guarantee): void {
  expect(result.delivery.lost).toEqual([]);
  expect(result.delivery.committedWithoutOutcome).toEqual([]);
  // checkDelivery reads read_committed in exactly-once mode: aborted attempts do not count.
  if (guarantee === 'exactly_once') expect(result.delivery.duplicates).toBe(0);
}

/** On failure, appends what the members warned about: the why behind "no progress". */
async function withMemberLogs<T>(members: readonly ConsumerProcess[], step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const notes = members.map((m, i) => {
      const file = keepLog(`${m.child.pid}`, m.output());
      const lines = m
        .output()
        .split('\n')
        .filter((l) => /"level":(40|50|60)|Error/.test(l))
        .slice(-15);
      const exit = m.child.exitCode ?? m.child.signalCode;
      return `member ${i} (pid ${m.child.pid}, exit ${exit}, full log ${file}):\n${lines.join('\n')}`;
    });
    throw new Error(`${(err as Error).message}\n${notes.join('\n')}`, { cause: err });
  }
}
