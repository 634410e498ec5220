import { describe, expect, it } from 'vitest';
import { coPartitionedAssignment } from '../../../src/kafka/common/co-partitioned-assignment.js';

describe('coPartitionedAssignment', () => {
  it('gives each member the same partition numbers of every topic, dealt in turn by member id', () => {
    const counts = new Map([
      ['predictions', 5],
      ['completions', 5],
    ]);
    const assignment = coPartitionedAssignment(['m-b', 'm-a'], counts);
    expect(Object.fromEntries([...assignment].map(([m, owned]) => [m, Object.fromEntries(owned)]))).toEqual({
      'm-a': { completions: [0, 2, 4], predictions: [0, 2, 4] },
      'm-b': { completions: [1, 3], predictions: [1, 3] },
    });
  });

  it('is the same answer whichever member computes it (member order does not matter)', () => {
    const counts = new Map([
      ['a', 3],
      ['b', 3],
    ]);
    const one = coPartitionedAssignment(['x', 'y', 'z'], counts);
    const other = coPartitionedAssignment(['z', 'x', 'y'], counts);
    expect([...other].map(([m, o]) => [m, [...o]])).toEqual([...one].map(([m, o]) => [m, [...o]]));
  });

  it('assigns every partition exactly once, a topic with fewer partitions only its own', () => {
    const counts = new Map([
      ['a', 4],
      ['b', 2],
    ]);
    const assignment = coPartitionedAssignment(['m1', 'm2', 'm3'], counts);
    const held = [...assignment.values()].flatMap((owned) =>
      [...owned].flatMap(([topic, partitions]) => partitions.map((p) => `${topic}-${p}`)),
    );
    expect(held.sort()).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'b-0', 'b-1']);
    expect(assignment.get('m1')).toEqual(
      new Map([
        ['a', [0, 3]],
        ['b', [0]],
      ]),
    );
  });

  it('leaves members past the partition count idle, and has nothing to give without members', () => {
    const counts = new Map([['a', 1]]);
    const assignment = coPartitionedAssignment(['m1', 'm2'], counts);
    expect(assignment.get('m2')).toEqual(new Map());
    expect(coPartitionedAssignment([], counts).size).toBe(0);
  });
});
