import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { CRD_FOLDERS, goModuleDir, KUBERNETES_API } from './go-modules.js';

// Rendered manifests checked offline the way an apiserver with these APIs would check them: Kubernetes' own
// OpenAPI v3 documents and the CRDs of KEDA and the Prometheus Operator, all from Go modules through the module
// proxy (the only source reachable here; Go's module cache keeps them). Unknown fields are errors, as with
// kubeconform -strict: the apiserver refuses them under fieldValidation=Strict, kubectl's default (KEP-2885).
// Not checked: CEL rules (x-kubernetes-validations) and the apiserver's validation in Go (names, selectors).

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** What a validator needs of a manifest; the rest is checked against its kind's schema. */
export interface ManifestLike {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

/** The problems of one manifest, each naming the object and the field (`spec.replicas: must be integer`). */
export type ManifestValidator = (manifest: ManifestLike) => string[];

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | JsonSchema[];
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  [keyword: string]: unknown;
}

type GroupVersionKind = { group: string; version: string; kind: string };

let shared: Promise<ManifestValidator> | undefined;

/** One validator per process for every built-in kind of Kubernetes, KEDA's and the Prometheus Operator's. */
export function manifestValidator(): Promise<ManifestValidator> {
  shared ??= (async () => {
    const [kubernetes, crdDirs] = await Promise.all([
      goModuleDir(KUBERNETES_API),
      Promise.all(CRD_FOLDERS.map(async (c) => join(await goModuleDir(c.module), c.dir))),
    ]);
    const schemas = new ManifestSchemas(join(kubernetes, 'api', 'openapi-spec', 'v3'), crdDirs);
    return (manifest) => schemas.validate(manifest);
  })();
  return shared;
}

class ManifestSchemas {
  readonly #ajv = newAjv();
  readonly #openapiDir: string;
  readonly #crdDirs: readonly string[];
  /** Loaded OpenAPI documents: file → its components. */
  readonly #documents = new Map<string, Record<string, JsonSchema>>();
  /** Compiled schemas by `apiVersion kind`; undefined for kinds none of the sources knows. */
  readonly #compiled = new Map<string, ValidateFunction | undefined>();

  constructor(openapiDir: string, crdDirs: readonly string[]) {
    this.#openapiDir = openapiDir;
    this.#crdDirs = crdDirs;
  }

  validate(manifest: ManifestLike): string[] {
    if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string')
      return [`${JSON.stringify(manifest).slice(0, 80)}: apiVersion and kind must be strings`];
    const key = `${manifest.apiVersion} ${manifest.kind}`;
    if (!this.#compiled.has(key)) this.#compiled.set(key, this.#compile(manifest));
    const validate = this.#compiled.get(key);
    const subject = `${manifest.kind} ${manifest.metadata?.name ?? '(unnamed)'}`;
    if (validate === undefined)
      return [`${subject}: no schema for apiVersion ${manifest.apiVersion} kind ${manifest.kind}`];
    if (validate(manifest)) return [];
    return [...new Set(withoutBranches(validate.errors ?? []).map((e) => `${subject}: ${describe(e)}`))];
  }

  #compile(manifest: ManifestLike): ValidateFunction | undefined {
    const [group, version] = manifest.apiVersion.includes('/')
      ? manifest.apiVersion.split('/', 2)
      : ['', manifest.apiVersion];
    const gvk = { group: group ?? '', version: version ?? '', kind: manifest.kind };
    const builtIn = this.#builtIn(gvk);
    if (builtIn !== undefined) return this.#ajv.compile({ $ref: builtIn });
    const crd = this.#custom(gvk);
    return crd === undefined ? undefined : this.#ajv.compile(crd);
  }

  /** A `$ref` to the kind's component in its group-version's document, e.g. apis__apps__v1_openapi.json. */
  #builtIn({ group, version, kind }: GroupVersionKind): string | undefined {
    const name = group === '' ? `api__${version}_openapi.json` : `apis__${group}__${version}_openapi.json`;
    const components = this.#document(name);
    // Shared types (DeleteOptions, WatchEvent) list every group; a kind's own schema lists only itself.
    const found = Object.entries(components ?? {}).find(([, schema]) => {
      const gvks = (schema['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[];
      return (
        gvks.length === 1 && gvks[0]?.group === group && gvks[0].version === version && gvks[0].kind === kind
      );
    });
    return found && `${this.#documentId(name)}#/components/schemas/${found[0]}`;
  }

  #document(name: string): Record<string, JsonSchema> | undefined {
    const file = join(this.#openapiDir, name);
    if (!this.#documents.has(file) && existsSync(file)) {
      const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
      const components = document.components.schemas;
      for (const schema of Object.values(components)) closeObjects(schema);
      this.#ajv.addSchema({ components: { schemas: components } }, this.#documentId(name));
      this.#documents.set(file, components);
    }
    return this.#documents.get(file);
  }

  #documentId(name: string): string {
    return pathToFileURL(join(this.#openapiDir, name)).href;
  }

  /** The served version's openAPIV3Schema from the group's CRD, its metadata checked as ObjectMeta. */
  #custom({ group, version, kind }: GroupVersionKind): JsonSchema | undefined {
    // A cheap look before parsing a large file (ScaledJob's CRD takes 0.6 s).
    const names = new RegExp(`^\\s+kind: ${kind.replace(/\W/g, '\\$&')}\\s*$`, 'm');
    for (const dir of this.#crdDirs) {
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(`${group}_`)) : [];
      for (const file of files) {
        const text = readFileSync(join(dir, file), 'utf8');
        if (!names.test(text)) continue;
        const crd = parse(text) as CustomResourceDefinition;
        if (crd.spec.group !== group || crd.spec.names.kind !== kind) continue;
        const served = crd.spec.versions.find((v) => v.name === version && v.served);
        const schema = served?.schema.openAPIV3Schema;
        if (schema === undefined) return undefined;
        this.#document('api__v1_openapi.json');
        schema.properties = {
          ...schema.properties,
          metadata: {
            $ref: `${this.#documentId('api__v1_openapi.json')}#/components/schemas/${OBJECT_META}`,
          },
        };
        closeObjects(schema);
        return schema;
      }
    }
    return undefined;
  }
}

interface OpenApiDocument {
  components: { schemas: Record<string, JsonSchema> };
}

interface CustomResourceDefinition {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: JsonSchema } }[];
  };
}

function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true, // errors carry their schema: a oneOf's alternatives can be named
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
  });
  // Kubernetes' extensions: merge and list semantics, documentation, and CEL rules this validator cannot run.
  ajv.addVocabulary([
    'x-kubernetes-group-version-kind',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-list-type',
    'x-kubernetes-map-type',
    'x-kubernetes-patch-merge-key',
    'x-kubernetes-patch-strategy',
    'x-kubernetes-unions',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-int-or-string',
    'x-kubernetes-validations',
    // The root of an OpenAPI document, which Ajv compiles on the way to the schemas `$ref`s point into.
    'components',
  ]);
  // OpenAPI's formats as the apiserver reads them (k8s.io/kube-openapi); int-or-string's oneOf does the checking.
  const inRange = (bits: number) => (n: number) =>
    Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n < 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: inRange(32) });
  ajv.addFormat('int64', { type: 'number', validate: inRange(64) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('int-or-string', true);
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  return ajv;
}

/**
 * Objects with declared fields take no others, unless the schema keeps unknown fields
 * (x-kubernetes-preserve-unknown-fields); maps say `additionalProperties` and stay as they are. Structural CRD
 * schemas say int-or-string with the extension alone, so it becomes the alternatives it means.
 */
function closeObjects(schema: JsonSchema): void {
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema.properties !== undefined && schema.additionalProperties === undefined && !open)
    schema.additionalProperties = false;
  if (schema['x-kubernetes-int-or-string'] === true && schema.anyOf === undefined)
    schema.anyOf = [{ type: 'integer' }, { type: 'string' }];
  const nested = [
    ...Object.values(schema.properties ?? {}),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
    ...(schema.items === undefined ? [] : [schema.items].flat()),
    ...(schema.allOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.not === undefined ? [] : [schema.not]),
  ];
  for (const sub of nested) closeObjects(sub);
}

/** A failed oneOf/anyOf stands for its alternatives' own failures on the same value (`must be integer or string`). */
function withoutBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const choices = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  return errors.filter(
    (e) =>
      !choices.some((c) => e.instancePath === c.instancePath && e.schemaPath.startsWith(`${c.schemaPath}/`)),
  );
}

/** Ajv's error as kubectl names fields: `unknown field "spec.template.spec.containers[0].imagePullPolcy"`. */
function describe(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((p, s) => (/^\d+$/.test(s) ? `${p}[${s}]` : p === '' ? s : `${p}.${s}`), '');
  const field = (name: string) => (path === '' ? name : `${path}.${name}`);
  const { params } = error;
  if (error.keyword === 'additionalProperties') return `unknown field "${field(params.additionalProperty)}"`;
  if (error.keyword === 'required') return `missing required field "${field(params.missingProperty)}"`;
  const at = path === '' ? '(root)' : path;
  if (error.keyword === 'enum') return `${at}: ${error.message} ${JSON.stringify(params.allowedValues)}`;
  const choice = error.keyword === 'oneOf' || error.keyword === 'anyOf';
  const types = choice ? (error.schema as JsonSchema[]).map((s) => s.type) : [];
  if (types.length > 0 && types.every((t) => typeof t === 'string'))
    return `${at}: must be ${types.join(' or ')}`;
  return `${at}: ${error.message}`;
}
