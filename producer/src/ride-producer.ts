import {
  type CompressionName,
  createKafka,
  IdempotentProducer,
  type KafkaSettings,
  type Logger,
  type OutRecord,
  openSchemaCatalog,
  type RideCompleted,
  type RideStarted,
  type TopicRecords,
  type WireFormat,
} from '@ride/shared';
import { type EventEncoding, eventRecords, rideRecord } from './event-records.js';

export interface RideProducerOptions {
  kafka: KafkaSettings;
  topic: string;
  compression?: CompressionName;
  /** 'avro' (default, in the Confluent wire format) or the course's JSON event. */
  format?: 'avro' | 'json';
  /**
   * Registers the ride-started schema under `<topic>-value` (and ride-completed under `<completionsTopic>-value`)
   * and writes the ids the registry gave; unset, the fixed ids.
   */
  schemaRegistryUrl?: string;
  /** `confluent` (default): no headers; `tagged`: the earlier contract with a content-type header (rides only). */
  wire?: WireFormat;
  /**
   * Where ride-completed events go (e.g. `ride-completions`), keyed by ride id as the rides are: with as many
   * partitions as the rides topic, a ride and its completion land on the same partition number. Unset, the
   * producer sends rides only.
   */
  completionsTopic?: string;
  logger: Logger;
}

interface Settings {
  encoding: EventEncoding;
  compression: CompressionName;
  logger: Logger;
}

export interface SendResult {
  sent: number;
  failed: number;
  /** The error that failed the batch, if any: nothing in a failed batch is counted as sent. */
  error?: Error;
}

/**
 * Publishes ride-started events, and ride-completed events when given a completions topic, for upstream services:
 * idempotent producer, keyed by ride id (so one ride's events stay in one partition, in order), every send awaited
 * until the broker acknowledges it.
 */
export class RideProducer {
  private readonly producer: IdempotentProducer;
  private readonly options: Settings;

  private constructor(producer: IdempotentProducer, options: Settings) {
    this.producer = producer;
    this.options = options;
  }

  static async connect(options: RideProducerOptions): Promise<RideProducer> {
    const logger = options.logger.child({ component: 'ride-producer' });
    const completionsTopic = options.completionsTopic;
    const catalog = await openSchemaCatalog(options.schemaRegistryUrl, {
      'ride-started': [options.topic],
      'ride-completed': completionsTopic === undefined ? [] : [completionsTopic],
    });
    // Idempotence gives exactly-once per partition across retries (KIP-98), in order.
    const producer = new IdempotentProducer(createKafka(options.kafka, options.logger), logger);
    await producer.connect();
    const encoding: EventEncoding = {
      ridesTopic: options.topic,
      rideSchemaId: catalog.writeId('ride-started', options.topic),
      format: options.format ?? 'avro',
      wire: options.wire ?? 'confluent',
    };
    if (completionsTopic !== undefined) {
      encoding.completions = {
        topic: completionsTopic,
        schemaId: catalog.writeId('ride-completed', completionsTopic),
      };
    }
    return new RideProducer(producer, { encoding, compression: options.compression ?? 'none', logger });
  }

  /** A ride event keyed by its ride id, with no headers unless the wire is `tagged` (see rideRecord). */
  toMessage(ride: RideStarted): OutRecord {
    return rideRecord(ride, this.options.encoding);
  }

  async send(ride: RideStarted): Promise<void> {
    const result = await this.sendBatch([ride]);
    if (result.error) throw result.error;
  }

  /**
   * Sends all rides, and any completions (on the completions topic), in one request per partition leader;
   * acknowledged as a whole or reported failed. The counts are of events, rides and completions alike.
   */
  async sendBatch(
    rides: readonly RideStarted[],
    completions: readonly RideCompleted[] = [],
  ): Promise<SendResult> {
    const events = rides.length + completions.length;
    if (events === 0) return { sent: 0, failed: 0 };
    let records: TopicRecords[];
    try {
      records = eventRecords(rides, completions, this.options.encoding);
    } catch (err) {
      this.options.logger.error({ err }, 'could not encode the batch');
      return { sent: 0, failed: events, error: err as Error };
    }
    try {
      await this.producer.send(records, { compression: this.options.compression });
      return { sent: events, failed: 0 };
    } catch (err) {
      this.options.logger.error(
        { err, rides: rides.length, completions: completions.length },
        'send failed after retries',
      );
      return { sent: 0, failed: events, error: err as Error };
    }
  }

  /** Sends ride-completed events, as sendBatch does; needs the `completionsTopic` option. */
  sendCompletions(completions: readonly RideCompleted[]): Promise<SendResult> {
    return this.sendBatch([], completions);
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
