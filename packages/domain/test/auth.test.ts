import { describe, expect, it } from 'vitest';
import {
  acceptInvitationInput,
  ACCESS_LEVELS,
  adminAuditListInput,
  adminSetRoleInput,
  adminUsersListInput,
  cursorSchema,
  emailSchema,
  inviteStaffInput,
  normalizeEmail,
  PASSWORD_MAX,
  PASSWORD_MIN,
  passwordSchema,
  personNameSchema,
  signInInput,
  tokenSchema,
  userSearchSchema,
} from '../src/index.js';
import { accepts, ID, problems } from './issues.js';

const TOKEN = 'A'.repeat(40) + '_-9';

describe('email addresses', () => {
  it('compare in one form: NFKC, trimmed, lower case', () => {
    expect(normalizeEmail('  Ana.Costa@Example.COM ')).toBe('ana.costa@example.com');
    expect(normalizeEmail('ａｎａ@example.com')).toBe('ana@example.com');
    expect(emailSchema.parse(' Chef+Orders@Bistro.Example ')).toBe('chef+orders@bistro.example');
  });

  it('accept plain ASCII addresses with a dotted domain', () => {
    for (const ok of ['a@b.co', 'first.last@sub.example.org', "o'brien@example.ie", 'x@a-b.example', `${'a'.repeat(64)}@example.com`]) {
      expect(accepts(emailSchema, ok), ok).toBe(true);
    }
  });

  it('refuse look-alikes, missing parts and overlong addresses, saying how to fix it', () => {
    const message = ': Enter a valid email address (plain ASCII, like name@example.com)';
    for (const bad of ['ana', 'ana@', '@example.com', 'ana@example', 'ana@-example.com', 'ana@example-.com', 'аna@example.com', 'ana\u200b@example.com', 'a b@example.com', `${'a'.repeat(65)}@example.com`, 'ana@example..com', 'x ana@example.com', 'ana@example.com x']) {
      expect(problems(emailSchema, bad), bad).toEqual([message]);
    }
    expect(problems(emailSchema, `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`)).toEqual([': An email address has at most 254 characters']);
    expect(accepts(emailSchema, `ana@${'b'.repeat(63)}.com`)).toBe(true);
    expect(accepts(emailSchema, `ana@${'b'.repeat(64)}.com`)).toBe(false);
  });
});

describe('passwords and names', () => {
  it('passwords are 8 to 256 characters of anything', () => {
    expect([PASSWORD_MIN, PASSWORD_MAX]).toEqual([8, 256]);
    expect(problems(passwordSchema, '1234567')).toEqual([': Use at least 8 characters']);
    expect(problems(passwordSchema, '12345678')).toEqual([]);
    expect(problems(passwordSchema, 'x'.repeat(256))).toEqual([]);
    expect(problems(passwordSchema, 'x'.repeat(257))).toEqual([': Use at most 256 characters']);
  });

  it('names are trimmed, 1 to 100 characters, without control characters', () => {
    expect(personNameSchema.parse('  Ana Lima  ')).toBe('Ana Lima');
    // NFC: a decomposed ë is one character; what people wrote (full-width letters, m²) is kept.
    expect(personNameSchema.parse('Zoe\u0308')).toBe('Zoë');
    expect(personNameSchema.parse('Ｚoë')).toBe('Ｚoë');
    expect(problems(personNameSchema, '   ')).toEqual([': Enter some text']);
    expect(problems(personNameSchema, 'x'.repeat(100))).toEqual([]);
    expect(problems(personNameSchema, 'x'.repeat(101))).toEqual([': Use at most 100 characters']);
    expect(problems(personNameSchema, 'Ana\u202eevil')).toEqual([': Remove control characters']);
    expect(problems(personNameSchema, 'Ana\nLima')).toEqual([': Use a single line (no line breaks or tabs)']);
  });
});

describe('tokens, cursors and searches', () => {
  it('a token is 43 base64url characters', () => {
    expect(accepts(tokenSchema, TOKEN)).toBe(true);
    expect(problems(tokenSchema, TOKEN.slice(1))).toEqual([': Not a valid token']);
    expect(accepts(tokenSchema, `${TOKEN}A`)).toBe(false);
    expect(accepts(tokenSchema, `${TOKEN.slice(1)}+`)).toBe(false);
    expect(accepts(tokenSchema, ` ${TOKEN.slice(1)}`)).toBe(false);
  });

  it('a cursor is short base64url', () => {
    expect(accepts(cursorSchema, 'abc_-XYZ09')).toBe(true);
    expect(problems(cursorSchema, 'abc=')).toEqual([': Not a valid cursor']);
    expect(problems(cursorSchema, '=abc')).toEqual([': Not a valid cursor']);
    expect(problems(cursorSchema, '')).toEqual([': Not a valid cursor']);
    expect(accepts(cursorSchema, 'a'.repeat(200))).toBe(true);
    expect(problems(cursorSchema, 'a'.repeat(201))).toEqual([': Not a valid cursor']);
  });

  it('a search is plain text, trimmed, at most 100 characters', () => {
    expect(userSearchSchema.parse('  ana% ')).toBe('ana%');
    expect(userSearchSchema.parse('Zoe\u0308')).toBe('Zoë');
    expect(accepts(userSearchSchema, 'a\u0000b')).toBe(false);
    expect(problems(userSearchSchema, 'x'.repeat(101))).toEqual([': Use at most 100 characters']);
    expect(accepts(adminUsersListInput, { query: 'ana', cursor: 'abc' })).toBe(true);
    expect(accepts(adminUsersListInput, { page: 2 })).toBe(false);
  });
});

describe('inputs of accounts and roles', () => {
  it('signing in takes a cookie or a token mode, nothing else', () => {
    expect(accepts(signInInput, { email: 'a@b.co', password: '12345678' })).toBe(true);
    expect(accepts(signInInput, { email: 'a@b.co', password: '12345678', mode: 'token' })).toBe(true);
    expect(accepts(signInInput, { email: 'a@b.co', password: '12345678', mode: 'jwt' })).toBe(false);
    expect(accepts(signInInput, { email: 'a@b.co', password: '12345678', remember: true })).toBe(false);
  });

  it('an invitation names a role at a location; accepting it may bring a name and password', () => {
    expect(accepts(inviteStaffInput, { locationId: ID, email: 'cook@b.co', role: 'staff' })).toBe(true);
    expect(accepts(inviteStaffInput, { locationId: ID, email: 'cook@b.co', role: 'admin' })).toBe(false);
    expect(accepts(acceptInvitationInput, { token: TOKEN })).toBe(true);
    expect(acceptInvitationInput.parse({ token: TOKEN, name: ' Cook ', password: '12345678' })).toEqual({ token: TOKEN, name: 'Cook', password: '12345678' });
    expect(accepts(adminSetRoleInput, { userId: ID, locationId: ID, role: null })).toBe(true);
  });

  it('an audit search takes an action name in lower case with dots', () => {
    expect(accepts(adminAuditListInput, { action: 'role.changed' })).toBe(true);
    expect(accepts(adminAuditListInput, { action: 'auth.sign_in_failed', userId: ID })).toBe(true);
    // Only the actions Bistro records (AUDIT_ACTIONS), exactly as written.
    for (const action of ['Role.Changed', 'x role.changed', 'role.changed x', 'menu.item.archived', 'a'.repeat(65)]) {
      expect(accepts(adminAuditListInput, { action }), action).toBe(false);
    }
    expect(accepts(adminAuditListInput, { action: '' })).toBe(false);
  });

  it('orders access levels from least to most trusted', () => {
    expect(ACCESS_LEVELS).toEqual(['public', 'authed', 'orderer', 'order', 'staff', 'manager', 'admin']);
  });
});
