import { describe, expect, it } from 'vitest';
import { jsonMemberSources } from '../../src/json/json-member-sources.js';

describe('jsonMemberSources', () => {
  it('gives the source text of every member with the key, by JSON Pointer, at any depth', () => {
    const text = `{
      "ride_id": 9007199254740993,
      "ride": {"ride_id": "x", "other": 1},
      "list": [{"ride_id": 1e3}, {"ride_id": [1, {"a": 2}]}, 7],
      "a/b~": {"ride_id": -0.5}
    }`;
    expect(Object.fromEntries(jsonMemberSources(text, 'ride_id'))).toEqual({
      '/ride_id': '9007199254740993',
      '/ride/ride_id': '"x"',
      '/list/0/ride_id': '1e3',
      '/list/1/ride_id': '[1, {"a": 2}]',
      '/a~1b~0/ride_id': '-0.5',
    });
  });

  it('is not misled by brackets and quotes inside strings, escaped keys or any JSON whitespace', () => {
    const digits = '123456789012345678901234567890';
    const text = `{"s":"}],\\"ride_id\\":1,{","b":"\\\\","ride\\u005fid"\t:\r\n${digits} ,"t":["]"]}`;
    expect(JSON.parse(text).ride_id).toBeTypeOf('number');
    expect(Object.fromEntries(jsonMemberSources(text, 'ride_id'))).toEqual({ '/ride_id': digits });
  });

  it('keeps the last of a repeated key, as JSON.parse does', () => {
    const text = '{"ride_id": 1, "ride_id": 9007199254740993}';
    expect(jsonMemberSources(text, 'ride_id').get('/ride_id')).toBe('9007199254740993');
    expect(JSON.parse(text).ride_id).toBe(Number('9007199254740993'));
  });

  it('finds nothing in documents without the key, including top-level scalars and empty containers', () => {
    for (const text of ['1', '"ride_id"', 'null', '{}', '[]', '[{}, []]', '{"a": {"b": []}}']) {
      expect(jsonMemberSources(text, 'ride_id').size).toBe(0);
    }
  });

  it('walks nesting deeper than the call stack would allow', () => {
    const depth = 200_000;
    const text = `{"deep": ${'['.repeat(depth)}${']'.repeat(depth)}, "ride_id": 9007199254740993}`;
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonMemberSources(text, 'ride_id').get('/ride_id')).toBe('9007199254740993');
  });
});
