import type { BenchResults } from './bench-results.js';
import { fmtInt, fmtNum, markdownTable } from './markdown-table.js';

function throughputTable(r: BenchResults): string {
  const rows: unknown[][] = [];
  if (r.ceiling.producer) {
    const p = r.ceiling.producer;
    rows.push([
      'Kafka ProducerPerformance (ceiling, write)',
      fmtInt(p.records),
      fmtInt(p.records_per_s),
      '–',
      '–',
    ]);
  }
  if (r.ceiling.consumer) {
    const c = r.ceiling.consumer;
    rows.push([
      'Kafka ConsumerPerformance (ceiling, read)',
      fmtInt(c.records),
      fmtInt(c.records_per_s),
      '–',
      '–',
    ]);
  }
  for (const p of r.pipeline) {
    const who = p.consumers === 1 ? 'our consumer, 1 process' : `our consumer, ${p.consumers} processes`;
    rows.push([
      who,
      fmtInt(p.events),
      fmtInt(p.events_per_s),
      fmtNum(p.cpu_s_per_million, 1),
      fmtInt(p.peak_rss_mb),
    ]);
  }
  const label = { course: 'Python course-style peer (1 event per predict)', batched: 'Python batched peer' };
  for (const p of r.peers) {
    rows.push([
      label[p.peer],
      fmtInt(p.events),
      fmtInt(p.events_per_s),
      fmtNum(p.cpu_s_per_million, 1),
      fmtInt(p.peak_rss_mb),
    ]);
  }
  for (const p of r.producer_cli) {
    rows.push([`producer CLI \`${p.source}\``, fmtInt(p.sent), fmtInt(p.events_per_s), '–', '–']);
  }
  return markdownTable(['what', 'events', 'events/s', 'CPU s / 1M events', 'peak RSS MB'], rows);
}

function latencyTable(r: BenchResults): string {
  const rows = r.latency.map((p) => [
    fmtInt(p.offered_per_s),
    fmtInt(p.achieved_per_s),
    fmtNum(p.latency_ms.p50, 1),
    fmtNum(p.latency_ms.p90, 1),
    fmtNum(p.latency_ms.p99, 1),
    fmtNum(p.latency_ms.p999, 1),
    fmtNum(p.latency_ms.max, 1),
    fmtInt(p.latency_ms.count),
    `${fmtNum(p.kafka_only_ms.p50, 1)} / ${fmtNum(p.kafka_only_ms.p99, 1)}`,
    fmtInt(p.final_backlog),
    p.sustained ? 'yes' : `no (+${fmtInt(p.backlog_growth)})`,
  ]);
  const header = [
    'offered ev/s',
    'achieved ev/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'p99.9 ms',
    'max ms',
    'samples',
    'Kafka only p50 / p99 ms',
    'backlog',
    'sustained',
  ];
  return markdownTable(header, rows);
}

function leverTable(r: BenchResults): string {
  const rows = r.levers.map((l) => [
    l.lever,
    l.node,
    l.wire === 'tagged' ? 'per-record headers' : 'none (wire format)',
    l.client,
    fmtInt(l.events_per_s),
    fmtNum(l.cpu_s_per_million, 1),
    `${fmtNum(l.p99_ms_at_5k, 1)} / ${fmtNum(l.kafka_only_p99_ms_at_5k, 1)}${l.sustained_at_5k ? '' : ' (not sustained)'}`,
    fmtInt(l.peak_rss_mb),
  ]);
  const header = [
    'lever',
    'Node',
    'headers',
    'client',
    'events/s',
    'CPU s / 1M',
    'p99 / Kafka-only p99 ms at 5k',
    'peak RSS MB',
  ];
  return markdownTable(header, rows);
}

/** The single broker's one-process rows beside the same on the three-node cluster. */
function clusterTable(r: BenchResults): string {
  const single = r.pipeline.find((p) => p.consumers === 1);
  const at5k = r.latency.find((p) => p.offered_per_s === 5000);
  const row = (where: string, p: typeof single, l: typeof at5k) => [
    where,
    p === undefined ? '–' : fmtInt(p.events_per_s),
    p === undefined ? '–' : fmtNum(p.cpu_s_per_million, 1),
    p === undefined ? '–' : fmtInt(p.peak_rss_mb),
    l === undefined ? '–' : `${fmtNum(l.latency_ms.p99, 1)} / ${fmtNum(l.kafka_only_ms.p99, 1)}`,
  ];
  const c = r.cluster;
  return markdownTable(
    ['where', 'events/s', 'CPU s / 1M', 'peak RSS MB', 'p99 / Kafka-only p99 ms at 5k'],
    [
      row('one broker (RF 1)', single, at5k),
      ...(c === undefined
        ? []
        : [
            row(
              `${c.nodes} brokers + ${c.controllers} controller (RF ${c.replication}, min ISR ${c.min_insync}, acks=all)`,
              c.pipeline,
              c.at_5k,
            ),
          ]),
    ],
  );
}

/** The run as Markdown: machine, throughput, latency, levers, goals. */
export function renderReport(r: BenchResults): string {
  const m = r.machine;
  const sustained = r.latency.filter((p) => p.sustained).map((p) => p.offered_per_s);
  const goals = markdownTable(
    ['goal', 'figure', 'met'],
    r.goals.map((g) => [g.goal, g.figure, g.met === undefined ? '–' : g.met ? 'yes' : 'no']),
  );
  return [
    `### Benchmark (${r.mode} run, ${r.at})`,
    '',
    ...(Object.keys(r.consumer_env).length > 0
      ? [
          `Consumer settings for this run: ${Object.entries(r.consumer_env)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}.`,
          '',
        ]
      : []),
    `Machine: ${m.cpus} cores (${m.cpu_model}), ${m.memory_gb} GB RAM, ${m.platform}; ` +
      Object.entries(r.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      `. Broker: ${r.broker}. Load average at start ${r.load_average_start}, at end ${r.load_average_end}; ` +
      `wall time ${Math.round(r.wall_seconds)} s.`,
    '',
    `Throughput: ${fmtInt(r.events)} preloaded ride events (framed Avro value ${r.event_bytes} B; ${r.record_bytes} B with its key and no header, the size given to ProducerPerformance) in 6 partitions; ` +
      "timed from the first output record to the last one acknowledged (output topics' end offsets, polled every 100 ms).",
    '',
    throughputTable(r),
    '',
    'End-to-end latency: event created (stamped when the load generator hands it to the producer) → prediction ' +
      'read by a downstream consumer; one consumer process, 6 partitions. "Kafka only" is the same events read ' +
      'straight from the rides topic by a second reader: producer, broker and client cost without the scoring hop. ' +
      'Backlog: mean rides written − predictions written over the last quarter of the load.',
    '',
    latencyTable(r),
    '',
    `Highest offered load sustained without a growing backlog: ${sustained.length > 0 ? `${fmtInt(Math.max(...sustained))} ev/s` : 'none'}.`,
    '',
    ...(r.cluster !== undefined
      ? [
          `On a cluster: the one-process throughput (${fmtInt(r.events)} preloaded rides) and the 5k ev/s point ` +
            'again on a local KRaft cluster of three brokers and a dedicated controller on the same machine, every topic replicated three times.',
          '',
          clusterTable(r),
          '',
        ]
      : []),
    ...(r.levers.length > 0
      ? [
          `Cost levers, one after another in this run: ${fmtInt(r.events)} preloaded rides (written in the lever's ` +
            'format) through one consumer process, then 5k ev/s offered; the earlier state first, all levers last.',
          '',
          leverTable(r),
          '',
        ]
      : []),
    goals,
    ...(r.notes.length > 0 ? ['', ...r.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}
