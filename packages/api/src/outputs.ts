import { z } from 'zod';
import { INGREDIENT_UNITS, ORDER_STATUSES, ORDER_TYPES, PAYMENT_METHODS } from '@bistro/domain';

/**
 * The answers of the procedures served over REST (/api/v1), as zod schemas: tRPC checks each
 * answer against its schema (`.output()`), and the OpenAPI document is generated from the same
 * schemas, so the document cannot drift from what is sent. Objects strip unknown keys: a field
 * a query starts selecting is not sent until it is added here.
 */

/** A timestamp: a Date in TypeScript, an ISO 8601 string on the REST wire. */
const instant = z.date().meta({ override: { type: 'string', format: 'date-time' } });
const id = z.string();
const orderStatus = z.enum(ORDER_STATUSES);
const orderType = z.enum(ORDER_TYPES);
const unavailableReason = z.enum(['eightySixed', 'outOfStock']).nullable();

export const locationsListOutput = z
  .array(
    z.object({
      id,
      slug: z.string(),
      name: z.string(),
      address: z.string(),
      timeZone: z.string(),
      currency: z.string(),
      /** Minutes of the location's own wall clock; weekday is ISO (1 = Monday). */
      openingHours: z.array(z.object({ weekday: z.number().int(), opensAt: z.number().int(), closesAt: z.number().int() })),
      /** Closure days (YYYY-MM-DD, the location's calendar) from yesterday on. */
      closures: z.array(z.string()),
      isOpenNow: z.boolean(),
      /** Now while open; else when it opens next (within eight days), or null. */
      nextOpensAt: instant.nullable(),
    }),
  )
  .meta({ id: 'LocationList' });

export interface MenuOption {
  id: string;
  name: string;
  priceDeltaMinor: number;
  isDefault: boolean;
  available: boolean;
  unavailableReason: 'eightySixed' | 'outOfStock' | null;
  optionGroups: MenuOptionGroup[];
}
export interface MenuOptionGroup {
  id: string;
  name: string;
  minSelections: number;
  maxSelections: number;
  options: MenuOption[];
}

const menuOption: z.ZodType<MenuOption> = z
  .object({
    id,
    name: z.string(),
    priceDeltaMinor: z.number().int(),
    isDefault: z.boolean(),
    available: z.boolean(),
    unavailableReason,
    get optionGroups() {
      return z.array(menuOptionGroup);
    },
  })
  .meta({ id: 'MenuOption' });

const menuOptionGroup: z.ZodType<MenuOptionGroup> = z
  .object({
    id,
    name: z.string(),
    minSelections: z.number().int(),
    maxSelections: z.number().int(),
    get options() {
      return z.array(menuOption);
    },
  })
  .meta({ id: 'MenuOptionGroup' });

const openingHours = z.array(z.object({ weekday: z.number().int(), opensAt: z.number().int(), closesAt: z.number().int() }));

export const menuGetOutput = z
  .object({
    location: z.object({
      id,
      slug: z.string(),
      name: z.string(),
      address: z.string(),
      timeZone: z.string(),
      currency: z.string(),
      taxRateBp: z.number().int(),
      acceptingOrders: z.boolean(),
      openingHours,
      closures: z.array(z.string()),
      version: z.string(),
      isOpenNow: z.boolean(),
    }),
    categories: z.array(
      z.object({
        id,
        name: z.string(),
        description: z.string(),
        items: z.array(
          z.object({
            id,
            name: z.string(),
            description: z.string(),
            priceMinor: z.number().int(),
            allergens: z.array(z.string()),
            available: z.boolean(),
            unavailableReason,
            optionGroups: z.array(menuOptionGroup),
            // Last, as prepareMenu builds it: the cached bytes and tRPC's checked answer are the same text.
            photo: z.object({ small: z.string(), large: z.string() }).nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'Menu' });

export const quoteOutput = z
  .object({
    currency: z.string(),
    lines: z.array(
      z.object({
        lineIndex: z.number().int(),
        itemId: id,
        name: z.string(),
        quantity: z.number().int(),
        unitPriceMinor: z.number().int(),
        options: z.array(z.object({ optionId: id, name: z.string(), groupName: z.string().nullable(), priceDeltaMinor: z.number().int() })),
        note: z.string().nullable(),
        lineTotalMinor: z.number().int(),
      }),
    ),
    problems: z.array(
      z.object({
        lineIndex: z.number().int(),
        code: z.enum(['CART_ITEM_UNKNOWN', 'SOLD_OUT', 'CART_OPTION_INVALID', 'CART_OPTION_RULES']),
        message: z.string(),
        itemId: id,
      }),
    ),
    subtotalMinor: z.number().int(),
    /** The discount line: what the code takes off the subtotal (0 without a code). */
    discountMinor: z.number().int(),
    /** The discount code applied, upper case; null without one. */
    promoCode: z.string().nullable(),
    taxMinor: z.number().int(),
    tipMinor: z.number().int(),
    totalMinor: z.number().int(),
  })
  .meta({ id: 'Quote' });

export const slotsOutput = z
  .object({ date: z.string(), timeZone: z.string(), slots: z.array(z.object({ startsAt: instant, remaining: z.number().int() })) })
  .meta({ id: 'Slots' });

export const placeOutput = z
  .object({
    id,
    number: z.string(),
    status: z.enum(['placed', 'pending_payment']),
    totalMinor: z.number().int(),
    currency: z.string(),
    trackingToken: z.string(),
    /** Paid online: what the payment page needs (the provider's client secret); null at the counter. */
    payment: z
      .object({ tenderId: id, provider: z.enum(['sandbox', 'stripe']), amountMinor: z.number().int(), currency: z.string(), clientSecret: z.string() })
      .nullable()
      .meta({ id: 'PaymentStep' }),
  })
  .meta({ id: 'PlacedOrder' });

/** What every order read starts with (orders.get/track and orders.list: ORDER_SUMMARY_COLUMNS). */
const orderSummaryShape = {
  id,
  number: z.string(),
  status: orderStatus,
  type: orderType,
  table: z.string().nullable(),
  wantedAt: instant.nullable(),
  placedAt: instant,
};

export const orderDetailOutput = z
  .object({
    ...orderSummaryShape,
    updatedAt: instant,
    location: z.object({ id, slug: z.string(), name: z.string() }),
    currency: z.string(),
    subtotalMinor: z.number().int(),
    taxMinor: z.number().int(),
    tipMinor: z.number().int(),
    totalMinor: z.number().int(),
    /** The discount line (0 without a code) and the code applied. */
    discountMinor: z.number().int(),
    promoCode: z.string().nullable(),
    /** counter or online. */
    paymentMethod: z.enum(PAYMENT_METHODS),
    lines: z.array(
      z.object({
        itemId: id,
        name: z.string(),
        quantity: z.number().int(),
        unitPriceMinor: z.number().int(),
        lineTotalMinor: z.number().int(),
        options: z.array(z.object({ name: z.string(), groupName: z.string().nullable(), priceDeltaMinor: z.number().int() })),
        note: z.string().nullable(),
      }),
    ),
    history: z.array(z.object({ from: orderStatus.nullable(), to: orderStatus, action: z.string(), reason: z.string().nullable(), at: instant })),
    guestFirstName: z.string().nullable(),
    contact: z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable(), address: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'OrderDetail' });

export const ordersListOutput = z
  .object({
    /** The days covered, on the location's calendar (YYYY-MM-DD, both included). */
    from: z.string(),
    to: z.string(),
    orders: z.array(
      z.object({
        ...orderSummaryShape,
        guestFirstName: z.string(),
        paymentMethod: z.enum(PAYMENT_METHODS),
        currency: z.string(),
        totalMinor: z.number().int(),
        itemCount: z.number().int(),
      }),
    ),
    /** Pass back as `cursor` for older orders; null when there are none. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'OrderList' });

export const kitchenQueueOutput = z
  .object({
    tickets: z.array(
      z.object({
        orderId: id,
        number: z.string(),
        status: orderStatus,
        type: orderType,
        table: z.string().nullable(),
        wantedAt: instant.nullable(),
        placedAt: instant,
        guestFirstName: z.string(),
        lines: z.array(
          z.object({
            station: z.object({ id, name: z.string() }).nullable(),
            name: z.string(),
            quantity: z.number().int(),
            options: z.array(z.object({ name: z.string(), groupName: z.string().nullable() })),
            note: z.string().nullable(),
          }),
        ),
        /** The stations its lines were routed to, in station order; `done`: the station has finished its lines (kitchen.stationDone). */
        stations: z.array(z.object({ id, name: z.string(), done: z.boolean() })),
      }),
    ),
    lastEventId: z.string(),
    prepMinutes: z.number().int(),
  })
  .meta({ id: 'KitchenQueue' });

export const kitchenBumpOutput = z.object({ id, status: orderStatus }).meta({ id: 'BumpedTicket' });

export const kitchenStationDoneOutput = z.object({ orderId: id, stationId: id, done: z.boolean() }).meta({ id: 'StationDone' });

const ingredientFields = { id, name: z.string(), unit: z.enum(INGREDIENT_UNITS), onHand: z.number().int(), lowStockThreshold: z.number().int() };

export const ingredientsListOutput = z
  .array(z.object({ ...ingredientFields, version: z.number().int(), isLow: z.boolean() }))
  .meta({ id: 'IngredientList' });

export const lowStockOutput = z.array(z.object(ingredientFields)).meta({ id: 'LowStockList' });
