import { describe, expect, it } from 'vitest';
import { type z } from 'zod';
import {
  closureSchema,
  multiLineText,
  passwordSchema,
  personNameSchema,
  placeInput,
  singleLineText,
  textLength,
  userSearchSchema,
} from '../src/index.js';

const line = singleLineText({ max: 10 });
const lines = multiLineText({ max: 10, min: 0 });

function message(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]!.message;
}

describe('free text (singleLineText / multiLineText)', () => {
  it('is trimmed, and blank after trimming counts as empty', () => {
    expect(line.parse('  Soup \u00a0')).toBe('Soup');
    expect(message(line, '   ')).toBe('Enter some text');
    expect(message(line, '')).toBe('Enter some text');
    expect(lines.parse('  \n ')).toBe('');
    expect(message(singleLineText({ max: 10, min: 3 }), ' ab ')).toBe('Use at least 3 characters');
  });

  it('takes exactly max characters, counted after trimming and as code points, and refuses one more', () => {
    expect(line.parse('abcdefghij')).toBe('abcdefghij');
    expect(line.parse('  abcdefghij  ')).toBe('abcdefghij');
    expect(message(line, 'abcdefghijk')).toBe('Use at most 10 characters');
    // Ten emoji are 20 UTF-16 units but 10 characters, as PostgreSQL counts them.
    const emoji = '🍕'.repeat(10);
    expect(textLength(emoji)).toBe(10);
    expect(line.parse(emoji)).toBe(emoji);
    expect(message(line, '🍕'.repeat(11))).toBe('Use at most 10 characters');
  });

  it('refuses a 100k-character string without normalising it', () => {
    expect(message(line, 'a'.repeat(100_000))).toBe('Use at most 10 characters');
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['ESC', 'a\u001b[31mb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a right-to-left override', 'a\u202eb'],
    ['a directional isolate', 'a\u2066b\u2069'],
    ['a byte-order mark inside', 'a\ufeffb'],
    ['a noncharacter', 'a\uffffb'],
  ])('refuses %s, in one line and in several', (_what, text) => {
    expect(message(line, text)).toBe('Remove control characters');
    expect(message(lines, text)).toBe('Remove control characters');
  });

  it('refuses lone surrogates (not text), but takes surrogate pairs', () => {
    expect(message(line, 'a\ud83cb')).toBe('The text is not valid Unicode (a lone surrogate)');
    expect(message(line, 'a\udf55')).toBe('The text is not valid Unicode (a lone surrogate)');
    expect(message(line, '\ud83c')).toBe('The text is not valid Unicode (a lone surrogate)');
    expect(line.parse('a\ud83c\udf55')).toBe('a🍕');
  });

  it('keeps one line to one line: no newline, carriage return, tab or line separator', () => {
    for (const text of ['a\nb', 'a\r\nb', 'a\rb', 'a\tb', 'a\u2028b']) {
      expect(message(line, text)).toBe('Use a single line (no line breaks or tabs)');
    }
    // Leading and trailing line breaks are only white space, and trimmed.
    expect(line.parse('\r\nSoup\n')).toBe('Soup');
  });

  it('turns \\r\\n, a lone \\r and U+2028 into \\n in a multi-line text, and keeps tabs', () => {
    expect(lines.parse('a\r\nb\rc')).toBe('a\nb\nc');
    expect(lines.parse('a\u2028b')).toBe('a\nb');
    expect(lines.parse('a\tb')).toBe('a\tb');
    // \r\n is one character once normalised: 5 lines of "ab" fit in 14, not in 13.
    const text = 'ab\r\nab\r\nab\r\nab\r\nab';
    expect(multiLineText({ max: 14 }).parse(text)).toHaveLength(14);
    expect(message(multiLineText({ max: 13 }), text)).toBe('Use at most 13 characters');
  });

  it('normalises to NFC: a combining accent is stored composed, and counted once', () => {
    const decomposed = 'Cre\u0300me bru\u0302le\u0301e';
    const parsed = line.safeParse(decomposed);
    expect(parsed.success).toBe(false); // 14 characters composed: over 10
    const composed = singleLineText({ max: 14 }).parse(decomposed);
    expect(composed).toBe('Crème brûlée');
    expect(composed).toBe(composed.normalize('NFC'));
    expect(textLength(composed)).toBe(12);
    // NFC, not NFKC: what people wrote stays ("m²" is not "m2").
    expect(line.parse('10 m²')).toBe('10 m²');
  });

  it('keeps zero-width joiners, which emoji sequences and scripts need', () => {
    expect(line.parse('👩\u200d🍳')).toBe('👩\u200d🍳');
  });

  it('applies to the inputs that reach the database: names, searches, closures, order notes', () => {
    expect(personNameSchema.safeParse('Ann\u0000').success).toBe(false);
    expect(userSearchSchema.parse('  ann ')).toBe('ann');
    expect(userSearchSchema.parse('')).toBe('');
    expect(userSearchSchema.safeParse('a\u0000').success).toBe(false);
    expect(closureSchema.parse({ date: '2027-01-01' })).toEqual({ date: '2027-01-01', reason: '' });
    expect(closureSchema.safeParse({ date: '2027-01-01', reason: 'x\u0000' }).success).toBe(false);
    const order = {
      locationSlug: 'centrale',
      type: 'pickup',
      lines: [{ itemId: '00000000-0000-4000-8000-000000000001', quantity: 1, note: 'no\u0000onions' }],
      contact: { name: 'Ann' },
      idempotencyKey: 'k'.repeat(16),
    };
    const result = placeInput.safeParse(order);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['lines', 0, 'note']);
  });
});

describe('passwords', () => {
  it('are kept exactly as typed: not trimmed, not normalised', () => {
    expect(passwordSchema.parse('  spaced out  ')).toBe('  spaced out  ');
    expect(passwordSchema.parse('Cre\u0300me brulee')).toBe('Cre\u0300me brulee');
  });

  it('refuse control characters and lone surrogates', () => {
    expect(passwordSchema.safeParse('password\u0000123').success).toBe(false);
    expect(passwordSchema.safeParse('password\t123').success).toBe(false);
    expect(passwordSchema.safeParse('password\ud800123').success).toBe(false);
    expect(passwordSchema.safeParse('password\u202e123').success).toBe(false);
  });
});

describe('audit actions', () => {
  it('are all named in one style: subject.event, lower snake_case, and distinct', async () => {
    const { AUDIT_ACTIONS } = await import('../src/index.js');
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z]+\.[a-z0-9]+(?:_[a-z0-9]+)*$/);
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });
});
