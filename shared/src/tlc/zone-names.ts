import { readFile } from 'node:fs/promises';

export interface Zone {
  id: number;
  borough: string;
  zone: string;
}

/** Reads taxi_zone_lookup.csv ("LocationID","Borough","Zone","service_zone") into a map by id. */
export async function readZones(path: string): Promise<Map<number, Zone>> {
  const text = await readFile(path, 'utf8');
  const zones = new Map<number, Zone>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    const cells = line
      .match(/("([^"]*)"|[^,]*)(,|$)/g)
      ?.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    if (!cells || cells.length < 3 || cells[0] === '') continue;
    zones.set(Number(cells[0]), { id: Number(cells[0]), borough: cells[1]!, zone: cells[2]! });
  }
  return zones;
}
