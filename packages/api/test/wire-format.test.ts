import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeOutput } from '../src/wire-format.js';

const date = fc.date({ noInvalidDate: true });
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a.b', 'x\\y', '0', 'json', 'meta', '__proto__x'));
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 8 }), date),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;

describe('the output wire format', () => {
  it('sends what superjson would, for JSON with Dates at any depth and odd keys: same JSON, same annotations, same value revived', () => {
    fc.assert(
      fc.property(value, (v) => {
        const ours = serializeOutput(v);
        const theirs = superjson.serialize(v);
        expect(JSON.stringify(ours.json)).toBe(JSON.stringify(theirs.json));
        expect(ours.meta?.values ?? null).toEqual(theirs.meta?.values ?? null);
        expect(superjson.deserialize(JSON.parse(JSON.stringify(ours)))).toEqual(superjson.deserialize(JSON.parse(JSON.stringify(theirs))));
      }),
      { numRuns: 500 },
    );
  });

  it('hands anything else to superjson, which the client revives', () => {
    const odd = { big: 10n, set: new Set([1]), nothing: undefined, when: new Date(0) };
    expect(serializeOutput(odd)).toEqual(superjson.serialize(odd));
    expect(superjson.deserialize(serializeOutput({ at: new Date(5) }))).toEqual({ at: new Date(5) });
    expect(serializeOutput(new Date(0))).toEqual(superjson.serialize(new Date(0)));
    const tricky = JSON.parse('{"__proto__": {"when": 1}, "at": "x"}') as unknown;
    expect(() => serializeOutput({ tricky, d: new Date(0) })).toThrow(/prototype pollution/);
  });
});
