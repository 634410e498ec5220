/**
 * How long a fetch waits for data where the settings leave it unset: the Java client's fetch.max.wait.ms, not
 * kafkajs's 5 s. A longer wait holds up whatever waits for the fetch in flight:
 * - @platformatic/kafka: one fetch per leader is in flight (../platformatic/leader-fetches.ts), so a partition that
 *   becomes ready while its leader's fetch waits (newly assigned, sought, resumed) is fetched once that fetch returns:
 *   with 5 s, a member taking over a stopped member's partitions on an idle topic left them unread for up to 5 s;
 * - kafkajs: with every partition paused its fetch loop sleeps the whole wait, and a stopping member (which pauses
 *   first) leaves its group only after it: 5 to 8 s in the group, rejoining the rebalances its leave should have
 *   ended, while the partitions it held were answered by nobody (test/chaos/scale-down.test.ts).
 */
export const DEFAULT_MAX_WAIT_MS = 500;
