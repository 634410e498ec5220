import type { RecordHeaders } from '@ride/shared';

/** A record header's first value as text; undefined when the record has none by that name. */
export function headerString(headers: RecordHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
