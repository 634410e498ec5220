import { ConfigError } from '../errors.js';
import type { Env, FlagNames } from './env.js';

/**
 * Reads typed values out of an env-like record and collects every problem instead of stopping at the first,
 * so one start-up error lists all that is wrong (each naming the variable and the fix).
 */
export class EnvReader {
  readonly problems: string[] = [];
  private readonly env: Env;
  private readonly flags: Env;
  /** Variable → the flag that sets it, for the flags `names` spells otherwise (see flagsToEnv). */
  private readonly spelled: ReadonlyMap<string, string>;
  private readonly read = new Set<string>();

  /**
   * `flags` (see flagsToEnv) override `env`; each must name a variable that gets read. `names` are the flag names
   * given to flagsToEnv, so messages spell flags as the user typed them.
   */
  constructor(env: Env, flags: Env = {}, names: FlagNames = {}) {
    this.env = { ...env, ...flags };
    this.flags = flags;
    this.spelled = new Map(Object.entries(names).map(([flag, name]) => [name, flag]));
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
    if (items.length === 0) this.problems.push(`${this.label(name)} is empty: give a comma-separated list`);
    return items;
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    return this.optionalInt(name, range) ?? fallback;
  }

  /** An integer in range, or undefined when unset (or invalid: a problem naming it). */
  optionalInt(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.optionalString(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${this.given(name, raw)} is not an integer in [${min}, ${max}]: set it to one`);
      return undefined;
    }
    return value;
  }

  number(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    return this.optionalNumber(name, range) ?? fallback;
  }

  /** A number in range, or undefined when unset (or invalid: a problem naming it). */
  optionalNumber(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.optionalString(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    const { min = -Infinity, max = Infinity } = range;
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${this.given(name, raw)} is not a number in [${min}, ${max}]: set it to one`);
      return undefined;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optionalString(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${this.given(name, raw)} is not a boolean: use true or false`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optionalString(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${this.given(name, raw)} is not one of ${allowed.join(', ')}: pick one`);
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
      this.problems.push(`${this.given(name, raw)} is not an http(s) URL: give one like http://host:8081`);
      return undefined;
    }
    return raw;
  }

  /** Names a setting as it was given: `--rate (PRODUCER_RATE)` when a flag set it, else the variable. */
  label(name: string): string {
    return Object.hasOwn(this.flags, name) ? `${this.flag(name)} (${name})` : name;
  }

  /** Throws one ConfigError listing every problem seen so far, unknown flags included. */
  finish(): void {
    for (const name of Object.keys(this.flags).filter((n) => !this.read.has(n))) {
      const known = [...this.read].map((n) => this.flag(n)).join(', ');
      this.problems.push(`unknown flag ${this.flag(name)}: known flags are ${known}`);
    }
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private flag(name: string): string {
    return `--${this.spelled.get(name) ?? name.toLowerCase().replaceAll('_', '-')}`;
  }

  /** A setting and its raw value as given: `--rate "x" (PRODUCER_RATE)` from a flag, `PRODUCER_RATE="x"` else. */
  private given(name: string, raw: string): string {
    const value = JSON.stringify(raw);
    return Object.hasOwn(this.flags, name) ? `${this.flag(name)} ${value} (${name})` : `${name}=${value}`;
  }
}
