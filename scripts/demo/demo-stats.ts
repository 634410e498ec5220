/** What the demo's live view shows, updated as rides and predictions are read back from Kafka. */
export interface SampleRide {
  rideId: string;
  pu: number;
  do: number;
  distance: number;
  minutes: number;
}

const LATENCY_WINDOW_MS = 10_000;

export class DemoStats {
  readonly startedAt = Date.now();
  ridesSeen = 0;
  predictions = 0;
  deadLetters = new Map<string, number>();
  latest: SampleRide[] = [];
  /** Predicted minutes in 5-minute buckets, 0–5 … 55 and above. */
  readonly histogram = new Array<number>(12).fill(0);
  firstPredictionAt = 0;
  lastPredictionAt = 0;
  /** [arrival time, latency ms] of the last LATENCY_WINDOW_MS, so the percentiles show now, not warm-up. */
  private latencies: Array<[number, number]> = [];
  private readonly rides = new Map<string, { pu: number; do: number; distance: number }>();
  private readonly rateWindow: number[] = [];

  ride(rideId: string, pu: number, doZone: number, distance: number): void {
    this.ridesSeen++;
    this.rides.set(rideId, { pu, do: doZone, distance });
    if (this.rides.size > 5000) this.rides.delete(this.rides.keys().next().value as string);
  }

  prediction(rideId: string, minutes: number, latencyMs: number): void {
    const now = Date.now();
    this.predictions++;
    this.firstPredictionAt ||= now;
    this.lastPredictionAt = now;
    this.latencies.push([now, latencyMs]);
    this.rateWindow.push(now);
    const bucket = Math.min(11, Math.max(0, Math.floor(minutes / 5)));
    this.histogram[bucket]!++;
    const ride = this.rides.get(rideId);
    if (ride)
      this.latest = [
        { rideId, minutes, pu: ride.pu, do: ride.do, distance: ride.distance },
        ...this.latest,
      ].slice(0, 6);
  }

  deadLetter(reason: string): void {
    this.deadLetters.set(reason, (this.deadLetters.get(reason) ?? 0) + 1);
  }

  /** Predictions per second over the last 5 seconds. */
  rate(): number {
    const since = Date.now() - 5000;
    while (this.rateWindow.length > 0 && this.rateWindow[0]! < since) this.rateWindow.shift();
    return this.rateWindow.length / 5;
  }

  /** Latency percentile over the last 10 seconds. */
  percentile(p: number): number {
    const since = Date.now() - LATENCY_WINDOW_MS;
    while (this.latencies.length > 0 && this.latencies[0]![0] < since) this.latencies.shift();
    if (this.latencies.length === 0) return Number.NaN;
    const sorted = this.latencies.map(([, ms]) => ms).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}
