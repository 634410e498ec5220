import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, type RunSpec } from '../../../harness/index.js';

/** The keys of a docker-compose.yml service that say how its container runs. */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  ports?: string[];
  init?: boolean;
  user?: string;
}

/** `${NAME}` and `${NAME:-default}` as Compose interpolates them, from `vars`. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    const value = vars[name];
    return value === undefined || value === '' ? (fallback ?? '') : value;
  });
}

/** docker-compose.yml's services, interpolated with `vars` as `docker compose` would with them in its environment. */
export function composeServices(vars: Record<string, string> = {}): Record<string, ComposeService> {
  const text = interpolate(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), vars);
  return (parse(text) as { services: Record<string, ComposeService> }).services;
}

/**
 * How `docker compose up` would run the service's container, as a RunSpec: its image, entrypoint, command,
 * environment, init and user, with `overrides` on top of its environment. Named volumes map to the engine volumes
 * given in `volumes`; ports are published on the host ports given in `hostPorts` (by container port).
 */
export function runSpecOf(
  service: ComposeService,
  options: {
    env?: Record<string, string>;
    volumes?: Record<string, string>;
    hostPorts?: Record<number, number>;
  } = {},
): RunSpec {
  if (service.image === undefined) throw new Error('a compose service without an image');
  const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));
  const publish: Record<number, number> = {};
  for (const port of service.ports ?? []) {
    const inside = Number(port.split(':').at(-1));
    const host = options.hostPorts?.[inside];
    if (host === undefined) throw new Error(`no host port given for container port ${inside}`);
    publish[host] = inside;
  }
  return {
    image: service.image,
    ...(service.entrypoint === undefined ? {} : { entrypoint: service.entrypoint }),
    args: service.command ?? [],
    env: { ...env, ...options.env },
    volumes: (service.volumes ?? []).map((spec) => {
      const [source = '', ...rest] = spec.split(':');
      const volume = options.volumes?.[source];
      if (volume === undefined) throw new Error(`no engine volume given for ${source}`);
      return [volume, ...rest].join(':');
    }),
    ...(service.ports === undefined ? {} : { publish }),
    ...(service.init ? { init: true } : {}),
    ...(service.user === undefined ? {} : { user: service.user }),
  };
}
