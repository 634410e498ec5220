import { ConfigError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads typed values out of an env-like record and collects every problem instead of stopping at the first,
 * so one start-up error lists all that is wrong (each naming the variable and the fix).
 */
export class EnvReader {
  readonly problems: string[] = [];
  private readonly env: Env;
  private readonly flags: Env;
  private readonly read = new Set<string>();

  /** `flags` (see flagsToEnv) override `env`; each must name a variable that gets read. */
  constructor(env: Env, flags: Env = {}) {
    this.env = { ...env, ...flags };
    this.flags = flags;
  }

  string(name: string, fallback: string): string {
    return this.optionalString(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    this.read.add(name);
    const raw = this.env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  }

  list(name: string, fallback: readonly string[]): string[] {
    const raw = this.optionalString(name);
    if (raw === undefined) return [...fallback];
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length === 0) this.problems.push(`${name} is empty: give a comma-separated list`);
    return items;
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.optionalString(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(
        `${name}=${JSON.stringify(raw)} is not an integer in [${min}, ${max}]: set it to one`,
      );
      return fallback;
    }
    return value;
  }

  number(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.optionalString(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const { min = -Infinity, max = Infinity } = range;
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)} is not a number in [${min}, ${max}]: set it to one`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optionalString(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)} is not a boolean: use true or false`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optionalString(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}=${JSON.stringify(raw)} is not one of ${allowed.join(', ')}: pick one`);
    return fallback;
  }

  /** An optional http(s) URL; anything else is a problem naming the variable. */
  optionalHttpUrl(name: string): string | undefined {
    const raw = this.optionalString(name);
    if (raw === undefined) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (url === undefined || !['http:', 'https:'].includes(url.protocol)) {
      this.problems.push(
        `${name}=${JSON.stringify(raw)} is not an http(s) URL: give one like http://host:8081`,
      );
      return undefined;
    }
    return raw;
  }

  /** Throws one ConfigError listing every problem seen so far, unknown flags included. */
  finish(): void {
    const flag = (name: string) => `--${name.toLowerCase().replaceAll('_', '-')}`;
    for (const name of Object.keys(this.flags).filter((n) => !this.read.has(n))) {
      this.problems.push(
        `unknown flag ${flag(name)}: known flags are ${[...this.read].map(flag).join(', ')}`,
      );
    }
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
