import { describe, expectTypeOf, it } from 'vitest';
// The package by its name: the published, self-contained declarations (dist/index.d.ts), as a
// front end sees them, not the API's source.
import {
  bistroErrorCode,
  bistroFieldErrors,
  createBistroClient,
  type BistroClientError,
  type BistroErrorCode,
  type FieldErrors,
  type RouterInputs,
  type RouterOutputs,
} from '@bistro/client';

// These assertions are checked by `tsc` (npm test runs the typecheck): a change to the router
// that breaks a front end fails here at compile time.
describe('the typed contract', () => {
  it('types inputs and outputs end to end', () => {
    type Menu = RouterOutputs['menu']['get'];
    type Item = Menu['categories'][number]['items'][number];
    type Option = Item['optionGroups'][number]['options'][number];
    expectTypeOf<Item['priceMinor']>().toEqualTypeOf<number>();
    expectTypeOf<Option['priceDeltaMinor']>().toEqualTypeOf<number>();
    expectTypeOf<Item['allergens']>().toEqualTypeOf<string[]>();
    expectTypeOf<Menu['location']['currency']>().toEqualTypeOf<string>();
    expectTypeOf<Menu['location']['isOpenNow']>().toEqualTypeOf<boolean>();
    expectTypeOf<RouterInputs['menu']['get']>().toEqualTypeOf<{ locationSlug: string }>();
    expectTypeOf<RouterOutputs['locations']['list'][number]>().toEqualTypeOf<{
      id: string;
      slug: string;
      name: string;
      address: string;
      timeZone: string;
      currency: string;
      openingHours: { weekday: number; opensAt: number; closesAt: number }[];
      closures: string[];
      isOpenNow: boolean;
      nextOpensAt: Date | null;
    }>();
    expectTypeOf<NonNullable<BistroClientError['data']>['bistroCode']>().toEqualTypeOf<BistroErrorCode>();
    expectTypeOf(bistroErrorCode).returns.toEqualTypeOf<BistroErrorCode | undefined>();
    // A union of the codes, not a string: a switch over it is checked for exhaustiveness.
    expectTypeOf<'NOT_FOUND'>().toExtend<BistroErrorCode>();
    expectTypeOf<string>().not.toExtend<BistroErrorCode>();
  });

  it('types the token of a token sign-in as a string, and a cookie sign-in has none', () => {
    async function signIns() {
      const bistro = createBistroClient({ url: 'http://localhost:3000' });
      const withToken = await bistro.auth.signIn.mutate({ email: 'a@b.example', password: 'x', mode: 'token' });
      expectTypeOf(withToken.token).toEqualTypeOf<string>();
      expectTypeOf(withToken.mode).toEqualTypeOf<'token'>();
      const withCookie = await bistro.auth.signIn.mutate({ email: 'a@b.example', password: 'x' });
      expectTypeOf(withCookie.token).toEqualTypeOf<null>();
      // A mode known only at run time gets the discriminated answer.
      const mode = Math.random() > 0.5 ? ('token' as const) : ('cookie' as const);
      const either = await bistro.auth.signIn.mutate({ email: 'a@b.example', password: 'x', mode });
      expectTypeOf(either.token).toEqualTypeOf<string | null>();
      if (either.mode === 'token') expectTypeOf(either.token).toEqualTypeOf<string>();
    }
    expectTypeOf(signIns).toBeFunction();
  });

  it('keys field errors by the paths of the input', () => {
    type SignUp = FieldErrors<RouterInputs['auth']['signUp']>;
    expectTypeOf<keyof SignUp>().toEqualTypeOf<keyof RouterInputs['auth']['signUp']>();
    type Place = keyof FieldErrors<RouterInputs['orders']['place']>;
    expectTypeOf<'lines.0.quantity'>().toExtend<Place>();
    expectTypeOf<'lines.0.quantitty'>().not.toExtend<Place>();
    expectTypeOf(bistroFieldErrors<RouterInputs['auth']['signUp']>).returns.toEqualTypeOf<SignUp>();
  });

  it('refuses a wrong input type and a misspelled procedure at compile time', () => {
    // Never called: only compiled.
    async function misuse() {
      const bistro = createBistroClient({ url: 'http://localhost:3000' });
      // @ts-expect-error locationSlug must be a string
      await bistro.menu.get.query({ locationSlug: 42 });
      // @ts-expect-error unknown key: a client cannot send a price
      await bistro.menu.get.query({ locationSlug: 'harbor-bistro', price: 1 });
      // @ts-expect-error misspelled procedure
      await bistro.menu.gett.query({ locationSlug: 'harbor-bistro' });
      // @ts-expect-error queries are not mutations
      await bistro.locations.list.mutate();
      // @ts-expect-error sign-in modes are 'cookie' or 'token'
      await bistro.auth.signIn.mutate({ email: 'a@b.example', password: 'x', mode: 'jwt' });
    }
    expectTypeOf(misuse).toBeFunction();
  });
});
