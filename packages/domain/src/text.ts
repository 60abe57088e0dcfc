import { z } from 'zod';

/**
 * What text Bistro accepts, decided once. Every free-text input (names, descriptions, notes,
 * reasons, addresses, table labels, searches …) goes through `singleLineText` or
 * `multiLineText`; identifiers with a shape of their own (emails, slugs, ids, tokens, cursors,
 * phone numbers) keep their own stricter schemas, and passwords have `passwordSchema` (auth.ts).
 *
 * The text, in this order:
 * 1. is a well-formed string: a lone UTF-16 surrogate (which no encoder can store) is refused;
 * 2. multi-line only: `\r\n` and a lone `\r` become `\n` (so one text has one form);
 * 3. is normalised to Unicode NFC (composed: "e" + U+0301 is stored as "é"). NFC, not NFKC:
 *    compatibility folding changes what people wrote ("m²" → "m2", "½" → "1⁄2");
 * 4. is trimmed of leading and trailing white space (and line breaks);
 * 5. is refused (never silently cleaned) if it still contains a character no person types:
 *    C0 and C1 control characters (NUL, ESC, DEL …; a multi-line text keeps `\n` and `\t`),
 *    the bidirectional embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069,
 *    "Trojan Source"), the byte-order mark U+FEFF, the interlinear annotation controls
 *    U+FFF9–U+FFFB and the noncharacters U+FFFE/U+FFFF; a single-line text also refuses the
 *    line and paragraph separators U+2028/U+2029 (a multi-line one turns them into `\n`).
 *    Zero-width joiners stay: emoji sequences and several scripts need them;
 * 6. has `min` to `max` characters, counted as PostgreSQL counts them (code points), after
 *    all of the above.
 */

/** Controls refused in every text. `\t` (U+0009) and `\n` (U+000A) are checked separately. */
// eslint-disable-next-line no-control-regex -- matching control characters is this rule's purpose
const ALWAYS_REFUSED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]/u;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/u;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u` flag: code units). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `text` is valid Unicode (String.prototype.isWellFormed, which ES2023 typings lack). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export interface TextOptions {
  /** The most characters (code points) kept after normalising and trimming. */
  max: number;
  /** The fewest characters after trimming: 1 by default (an empty or blank text is refused). */
  min?: number;
}

export const TEXT_MESSAGES = {
  illFormed: 'The text is not valid Unicode (a lone surrogate)',
  control: 'Remove control characters',
  lineBreak: 'Use a single line (no line breaks or tabs)',
  empty: 'Enter some text',
} as const;

/** Characters as PostgreSQL's `length()` and `varchar(n)` count them: code points, not UTF-16 units. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The first reason `text` (already normalised) is refused, or undefined when it is acceptable. */
export function textProblem(text: string, multiLine: boolean): string | undefined {
  if (!isWellFormedText(text)) return TEXT_MESSAGES.illFormed;
  if (!multiLine && LINE_BREAKS.test(text)) return TEXT_MESSAGES.lineBreak;
  if (ALWAYS_REFUSED.test(text)) return TEXT_MESSAGES.control;
  return undefined;
}

/** The form Bistro stores: newlines unified (multi-line), NFC, trimmed. Refusal is `textProblem`'s job. */
export function normalizeText(text: string, multiLine: boolean): string {
  let s = text;
  if (multiLine) s = s.replace(/\r\n?|[\u2028\u2029]/g, '\n');
  // String.prototype.normalize throws on nothing, but keeps lone surrogates: those are refused later.
  return s.normalize('NFC').trim();
}

function textSchema(multiLine: boolean, { max, min = 1 }: TextOptions) {
  const tooLong = `Use at most ${max} characters`;
  return (
    z
      .string()
      // A cheap bound before any work: no normalisation shrinks text by more than this.
      .max(max * 4 + 64, tooLong)
      .transform((raw, ctx) => {
        if (!isWellFormedText(raw)) {
          ctx.addIssue({ code: 'custom', message: TEXT_MESSAGES.illFormed });
          return z.NEVER;
        }
        const text = normalizeText(raw, multiLine);
        const problem = textProblem(text, multiLine);
        if (problem) {
          ctx.addIssue({ code: 'custom', message: problem });
          return z.NEVER;
        }
        const length = textLength(text);
        if (length < min) {
          ctx.addIssue({ code: 'custom', message: min === 1 ? TEXT_MESSAGES.empty : `Use at least ${min} characters` });
          return z.NEVER;
        }
        if (length > max) {
          ctx.addIssue({ code: 'custom', message: tooLong });
          return z.NEVER;
        }
        return text;
      })
  );
}

/** A one-line text: a name, a table label, a reason, a search. No line breaks or tabs. */
export function singleLineText(options: TextOptions) {
  return textSchema(false, options);
}

/** A text that may span lines: a description, a note, an address. Keeps `\n` and `\t`. */
export function multiLineText(options: TextOptions) {
  return textSchema(true, options);
}
