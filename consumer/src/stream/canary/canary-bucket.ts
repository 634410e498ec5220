/**
 * Where a ride id falls in [0, 1): FNV-1a (32 bit) of its UTF-8 bytes over 2³². The same id always lands in the same
 * place, on every member and after every restart, so a ride is always answered by the same model of a canary split.
 */
export function canaryBucket(rideId: string): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(rideId, 'utf8');
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/** True when the ride belongs to the candidate's share (0 ≤ share ≤ 1). */
export function routesToCanary(rideId: string, share: number): boolean {
  return canaryBucket(rideId) < share;
}
