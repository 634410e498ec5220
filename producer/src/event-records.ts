import {
  ContentTypes,
  encodeRideCompleted,
  encodeRideCompletedJson,
  encodeRideStarted,
  encodeRideStartedTagged,
  Headers,
  type OutRecord,
  type RideCompleted,
  type RideStarted,
  type TopicRecords,
  type WireFormat,
} from '@ride/shared';

/** What the records of a batch are built from: topics, schema ids and formats, fixed when the producer connects. */
export interface EventEncoding {
  ridesTopic: string;
  /** The ride-started schema id framed Avro carries (the fixed one, or a registry's). */
  rideSchemaId: number;
  /** 'avro' (in the Confluent wire format) or the course's JSON, for rides and completions alike. */
  format: 'avro' | 'json';
  /** `tagged`: rides carry the earlier contract's content-type header. */
  wire: WireFormat;
  /** The completions topic and the ride-completed schema id written there; unset, completions are refused. */
  completions?: { topic: string; schemaId: number };
}

/** The course's JSON event: {"ride": {...}, "ride_id": ...}, plus the pickup time so the model can use it. */
export function toCourseJson(ride: RideStarted): Buffer {
  return Buffer.from(
    JSON.stringify({
      ride: {
        PULocationID: ride.PULocationID,
        DOLocationID: ride.DOLocationID,
        trip_distance: ride.trip_distance,
        pickup_datetime: new Date(ride.pickup_datetime).toISOString(),
      },
      ride_id: ride.ride_id,
    }),
  );
}

/** A ride event keyed by its ride id, with no headers (its value says what it is) unless the wire is tagged. */
export function rideRecord(ride: RideStarted, encoding: EventEncoding): OutRecord {
  if (encoding.wire === 'tagged') {
    const { value, contentType } =
      encoding.format === 'json'
        ? { value: toCourseJson(ride), contentType: ContentTypes.json }
        : encodeRideStartedTagged(ride);
    return { key: ride.ride_id, value, headers: { [Headers.contentType]: contentType } };
  }
  const value =
    encoding.format === 'json' ? toCourseJson(ride) : encodeRideStarted(ride, encoding.rideSchemaId);
  return { key: ride.ride_id, value };
}

/**
 * A ride-completed event keyed by its ride id, like its ride: the same key hashes to the same partition number.
 * Never tagged: completions are newer than the tagged contract, so no reader of them expects its header.
 */
export function completionRecord(
  completion: RideCompleted,
  schemaId: number,
  format: 'avro' | 'json',
): OutRecord {
  const value =
    format === 'json' ? encodeRideCompletedJson(completion) : encodeRideCompleted(completion, schemaId);
  return { key: completion.ride_id, value };
}

/** One batch's records: the rides on the rides topic, the completions on the completions topic. */
export function eventRecords(
  rides: readonly RideStarted[],
  completions: readonly RideCompleted[],
  encoding: EventEncoding,
): TopicRecords[] {
  const records: TopicRecords[] = [];
  if (rides.length > 0)
    records.push({ topic: encoding.ridesTopic, messages: rides.map((ride) => rideRecord(ride, encoding)) });
  if (completions.length > 0) {
    const target = encoding.completions;
    if (target === undefined)
      throw new Error('RideProducer.connect was given no completionsTopic: it cannot send completions');
    records.push({
      topic: target.topic,
      messages: completions.map((c) => completionRecord(c, target.schemaId, encoding.format)),
    });
  }
  return records;
}
