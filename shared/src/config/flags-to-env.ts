import { ConfigError } from '../errors.js';
import type { Env, FlagNames } from './env.js';

/**
 * Command-line flags as the environment variables they stand for: `--model-path x` or `--model-path=x` is
 * MODEL_PATH=x, a bare `--create-topics` is CREATE_TOPICS=true; `names` gives a program's short flags their
 * variables (`--rate 5` is PRODUCER_RATE=5). Flags override the environment; EnvReader.finish reports a flag that
 * names no variable the program reads.
 */
export function flagsToEnv(argv: readonly string[], names: FlagNames = {}): Env {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}: flags look like --model-path <value>`);
      continue;
    }
    const flag = match[1]!;
    const name = Object.hasOwn(names, flag) ? names[flag]! : flag.toUpperCase().replaceAll('-', '_');
    const next = argv[i + 1];
    if (match[2] !== undefined) out[name] = match[2];
    else if (next !== undefined && !next.startsWith('--')) {
      out[name] = next;
      i++;
    } else out[name] = 'true';
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
