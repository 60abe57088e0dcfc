import { describe, expectTypeOf, it } from 'vitest';
import { createBistroClient, type BistroClientError, type BistroErrorCode, type RouterInputs, type RouterOutputs } from '../src/index.js';

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
      timeZone: string;
      currency: string;
      isOpenNow: boolean;
    }>();
    expectTypeOf<NonNullable<BistroClientError['data']>['bistroCode']>().toEqualTypeOf<BistroErrorCode>();
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
    }
    expectTypeOf(misuse).toBeFunction();
  });
});
