import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;

interface DemoOption { name: string; delta?: number; isDefault?: boolean }
interface DemoGroup { name: string; min: number; max: number; options: DemoOption[] }
/** The kitchen stations of every demo location, in their order; each demo item is routed to one. */
export const DEMO_STATIONS = ['Grill', 'Fryer', 'Cold', 'Bar'] as const;
type DemoStation = (typeof DEMO_STATIONS)[number];
interface DemoItem { name: string; description: string; price: number; allergens?: string[]; groups?: DemoGroup[]; station: DemoStation }
interface DemoCategory { name: string; description: string; items: DemoItem[] }

const dressing: DemoGroup = {
  name: 'Dressing',
  min: 1,
  max: 1,
  options: [{ name: 'Classic Caesar', isDefault: true }, { name: 'Lemon vinaigrette' }, { name: 'On the side' }],
};
const doneness: DemoGroup = {
  name: 'Cooking',
  min: 1,
  max: 1,
  options: [{ name: 'Rare' }, { name: 'Medium rare', isDefault: true }, { name: 'Medium' }, { name: 'Well done' }],
};
const steakExtras: DemoGroup = {
  name: 'Extras',
  min: 0,
  max: 3,
  options: [{ name: 'Peppercorn sauce', delta: 250 }, { name: 'Béarnaise', delta: 250 }, { name: 'Side salad', delta: 350 }],
};
const burgerSide: DemoGroup = {
  name: 'Side',
  min: 1,
  max: 1,
  options: [{ name: 'Fries', isDefault: true }, { name: 'Green salad' }, { name: 'Sweet potato fries', delta: 150 }],
};
const burgerExtras: DemoGroup = {
  name: 'Extras',
  min: 0,
  max: 3,
  options: [{ name: 'Bacon', delta: 200 }, { name: 'Cheddar', delta: 150 }, { name: 'Fried egg', delta: 150 }],
};

/** The demo menu, in minor units of each location's currency. */
export const DEMO_MENU: DemoCategory[] = [
  {
    name: 'Starters',
    description: 'To share, or not.',
    items: [
      { name: 'French onion soup', description: 'Slow-cooked onions, beef broth, gruyère crouton.', price: 850, allergens: ['gluten', 'milk', 'celery'], station: 'Grill' },
      { name: 'Caesar salad', description: 'Romaine, parmesan, croutons, anchovy.', price: 1050, allergens: ['gluten', 'milk', 'eggs', 'fish'], groups: [dressing], station: 'Cold' },
      { name: 'Burrata', description: 'Heirloom tomatoes, basil oil.', price: 1250, allergens: ['milk'], station: 'Cold' },
      { name: 'Garlic bread', description: 'Sourdough, garlic butter, parsley.', price: 550, allergens: ['gluten', 'milk'], station: 'Fryer' },
    ],
  },
  {
    name: 'Mains',
    description: 'From the kitchen.',
    items: [
      { name: 'Steak frites', description: '250 g bavette, hand-cut fries.', price: 2450, allergens: ['mustard'], groups: [doneness, steakExtras], station: 'Grill' },
      { name: 'Moules marinières', description: 'Mussels, white wine, shallots, cream.', price: 1950, allergens: ['molluscs', 'milk', 'sulphites'], station: 'Grill' },
      { name: 'Roast chicken', description: 'Half a free-range chicken, jus, mash.', price: 1850, allergens: ['milk', 'celery'], station: 'Grill' },
      { name: 'Mushroom risotto', description: 'Carnaroli rice, wild mushrooms, parmesan.', price: 1650, allergens: ['milk', 'celery'], station: 'Grill' },
      { name: 'Bistro burger', description: 'Dry-aged beef, brioche bun, pickles.', price: 1650, allergens: ['gluten', 'milk', 'eggs', 'mustard', 'sesame'], groups: [burgerSide, burgerExtras], station: 'Grill' },
    ],
  },
  {
    name: 'Desserts',
    description: 'Save room.',
    items: [
      { name: 'Crème brûlée', description: 'Vanilla custard, burnt sugar.', price: 750, allergens: ['milk', 'eggs'], station: 'Cold' },
      { name: 'Chocolate fondant', description: 'Molten centre, crème fraîche.', price: 850, allergens: ['gluten', 'milk', 'eggs'], station: 'Cold' },
      { name: 'Tarte Tatin', description: 'Caramelised apples, puff pastry.', price: 800, allergens: ['gluten', 'milk'], station: 'Cold' },
    ],
  },
  {
    name: 'Drinks',
    description: 'Cold, hot, and French.',
    items: [
      { name: 'House lemonade', description: 'Pressed lemons, mint.', price: 450, station: 'Bar' },
      { name: 'Espresso', description: 'Double shot.', price: 300, station: 'Bar' },
      { name: 'House red', description: 'Côtes du Rhône, 15 cl.', price: 650, allergens: ['sulphites'], station: 'Bar' },
      { name: 'Sparkling water', description: '50 cl.', price: 350, station: 'Bar' },
    ],
  },
];

/** Opening ranges as [weekday (1 = Mon), "HH:MM", "HH:MM"]; a close before the open runs past midnight. */
type Hours = [weekday: number, opens: string, closes: string][];

export const DEMO_LOCATIONS: { slug: string; name: string; timeZone: string; currency: string; taxRateBp: number; priceFactorPct: number; hours: Hours }[] = [
  {
    slug: 'bistro-centrale',
    name: 'Bistro Centrale',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    taxRateBp: 1000,
    priceFactorPct: 100,
    hours: [
      ...[2, 3, 4, 5, 6, 7].map((d): [number, string, string] => [d, '12:00', '14:30']),
      ...[2, 3, 4, 7].map((d): [number, string, string] => [d, '19:00', '23:00']),
      // Friday and Saturday nights run past midnight.
      [5, '19:00', '01:00'],
      [6, '19:00', '01:00'],
    ],
  },
  {
    slug: 'harbor-bistro',
    name: 'Harbor Bistro',
    timeZone: 'America/New_York',
    currency: 'USD',
    taxRateBp: 888,
    priceFactorPct: 110,
    hours: [1, 2, 3, 4, 5, 6, 7].map((d): [number, string, string] => [d, '11:00', '22:00']),
  },
];

function minutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Rounds a scaled price to a friendly 10 minor units, in integers. */
function scale(price: number, factorPct: number): number {
  return Math.round((price * factorPct) / 1000) * 10;
}

/**
 * Writes the demo restaurant group (two locations in different time zones, each with the
 * full menu, its kitchen stations and each item routed to one) unless the database already has locations. Returns whether it wrote anything.
 */
export async function seedDemo(db: Kysely<DB>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('locations').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    for (const location of DEMO_LOCATIONS) await seedLocation(trx, location);
    return true;
  });
}

async function seedLocation(db: Db, location: (typeof DEMO_LOCATIONS)[number]): Promise<void> {
  const { id: locationId } = await db
    .insertInto('locations')
    .values({
      slug: location.slug,
      name: location.name,
      time_zone: location.timeZone,
      currency: location.currency,
      tax_rate_bp: location.taxRateBp,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  await db
    .insertInto('opening_hours')
    .values(
      location.hours.map(([weekday, opens, closes]) => {
        const opensAt = minutes(opens);
        let closesAt = minutes(closes);
        if (closesAt <= opensAt) closesAt += 24 * 60;
        return { location_id: locationId, weekday, opens_at: opensAt, closes_at: closesAt };
      }),
    )
    .execute();

  const stations = new Map<string, string>();
  for (const [sortOrder, name] of DEMO_STATIONS.entries()) {
    const { id } = await db.insertInto('stations').values({ location_id: locationId, name, sort_order: sortOrder }).returning('id').executeTakeFirstOrThrow();
    stations.set(name, id);
  }

  for (const [categoryIndex, category] of DEMO_MENU.entries()) {
    const { id: categoryId } = await db
      .insertInto('menu_categories')
      .values({ location_id: locationId, name: category.name, description: category.description, sort_order: categoryIndex })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [itemIndex, item] of category.items.entries()) {
      const { id: itemId } = await db
        .insertInto('menu_items')
        .values({
          location_id: locationId,
          category_id: categoryId,
          name: item.name,
          description: item.description,
          price_minor: scale(item.price, location.priceFactorPct),
          allergens: item.allergens ?? [],
          station_id: stations.get(item.station)!,
          sort_order: itemIndex,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [groupIndex, group] of (item.groups ?? []).entries()) {
        const { id: groupId } = await db
          .insertInto('option_groups')
          .values({
            location_id: locationId,
            item_id: itemId,
            name: group.name,
            min_selections: group.min,
            max_selections: group.max,
            sort_order: groupIndex,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('options')
          .values(
            group.options.map((option, optionIndex) => ({
              option_group_id: groupId,
              name: option.name,
              price_delta_minor: scale(option.delta ?? 0, location.priceFactorPct),
              is_default: option.isDefault ?? false,
              sort_order: optionIndex,
            })),
          )
          .execute();
      }
    }
  }
}

/** Demo accounts: an admin, a manager and a staff member per location, and a customer. */
export const DEMO_ACCOUNTS: { email: string; name: string; isAdmin?: boolean; role?: { locationSlug: string; role: 'staff' | 'manager' } }[] = [
  { email: 'admin@bistro.example', name: 'Ada Admin', isAdmin: true },
  { email: 'manager.centrale@bistro.example', name: 'Camille Manager', role: { locationSlug: 'bistro-centrale', role: 'manager' } },
  { email: 'staff.centrale@bistro.example', name: 'Luc Line-Cook', role: { locationSlug: 'bistro-centrale', role: 'staff' } },
  { email: 'manager.harbor@bistro.example', name: 'Harper Manager', role: { locationSlug: 'harbor-bistro', role: 'manager' } },
  { email: 'staff.harbor@bistro.example', name: 'Sam Sous-Chef', role: { locationSlug: 'harbor-bistro', role: 'staff' } },
  { email: 'customer@bistro.example', name: 'Chris Customer' },
];

/**
 * Adds the demo accounts, all with one (development-only) password whose argon2id hash the
 * caller computes (asked for only when the accounts are missing: hashing is slow on purpose).
 * Does nothing when any of them exists. Returns whether it wrote anything.
 */
export async function seedDemoAccounts(db: Kysely<DB>, passwordHash: () => Promise<string>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('users')
      .select('id')
      .where('email', 'in', DEMO_ACCOUNTS.map((a) => a.email))
      .limit(1)
      .executeTakeFirst();
    if (existing) return false;
    const hash = await passwordHash();
    const locations = await trx.selectFrom('locations').select(['id', 'slug']).execute();
    const bySlug = new Map(locations.map((l) => [l.slug, l.id]));
    for (const account of DEMO_ACCOUNTS) {
      // Demo accounts are made when the process starts, not in a request: the wall clock is the right one.
      // eslint-disable-next-line no-restricted-syntax
      const seededAt = new Date();
      const user = await trx
        .insertInto('users')
        .values({ email: account.email, name: account.name, password_hash: hash, is_admin: account.isAdmin ?? false, email_verified_at: seededAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      const locationId = account.role && bySlug.get(account.role.locationSlug);
      if (account.role && locationId) {
        await trx.insertInto('location_roles').values({ user_id: user.id, location_id: locationId, role: account.role.role }).execute();
      }
    }
    return true;
  });
}
