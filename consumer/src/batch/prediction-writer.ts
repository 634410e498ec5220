import { fileWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';

/** One scored chunk, column-wise, in the course's output layout. */
export interface PredictionColumns {
  rideId: string[];
  /** Pickup as TLC wrote it: New York wall-clock time, carried as a Date whose UTC fields are that wall time. */
  pickupWall: Date[];
  puLocationId: Int32Array;
  doLocationId: Int32Array;
  actualDuration: Float64Array;
  /** null where the model refused the ride (unknown zone, bad distance). */
  predictedDuration: (number | null)[];
  diff: (number | null)[];
  modelVersion: string[];
}

// The course's batch output columns; pickup time stays naive (isAdjustedToUTC=false), as in the TLC files.
const SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 8 },
  { name: 'ride_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  {
    name: 'lpep_pickup_datetime',
    type: 'INT64',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
    repetition_type: 'REQUIRED',
  },
  { name: 'PULocationID', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'DOLocationID', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'actual_duration', type: 'DOUBLE', repetition_type: 'REQUIRED' },
  { name: 'predicted_duration', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'diff', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'model_version', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
];

/** Writes scored chunks to a parquet file, one row group per chunk; the only file that imports hyparquet-writer. */
export class PredictionWriter {
  private readonly writer: ParquetWriter;

  constructor(path: string) {
    this.writer = new ParquetWriter({ writer: fileWriter(path), schema: SCHEMA, createdBy: 'ride-batch' });
  }

  async write(c: PredictionColumns): Promise<void> {
    if (c.rideId.length === 0) return;
    await this.writer.write({
      columnData: [
        { name: 'ride_id', data: c.rideId },
        { name: 'lpep_pickup_datetime', data: c.pickupWall },
        { name: 'PULocationID', data: c.puLocationId },
        { name: 'DOLocationID', data: c.doLocationId },
        { name: 'actual_duration', data: c.actualDuration },
        { name: 'predicted_duration', data: c.predictedDuration },
        { name: 'diff', data: c.diff },
        { name: 'model_version', data: c.modelVersion },
      ],
      rowGroupSize: c.rideId.length,
    });
  }

  async finish(): Promise<void> {
    await this.writer.finish();
  }
}
