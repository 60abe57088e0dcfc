import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-25T1200_foundation.js';
import * as accounts from './2026-11-25T1300_accounts.js';
import * as menuStock from './2026-11-25T1400_menu_stock.js';
import * as orders from './2026-11-25T1500_orders.js';
import * as auditActionNames from './2026-11-29T2000_audit_action_names.js';
import * as listIndexes from './2026-11-29T2100_list_indexes.js';
import * as slotLock from './2026-11-29T2100_slot_lock.js';
import * as payments from './2026-11-30T0400_payments.js';
import * as promoCodes from './2026-11-30T0410_promo_codes.js';
import * as jobs from './2026-11-30T0100_jobs.js';
import * as digests from './2026-11-30T0110_digests.js';
import * as reports from './2026-11-30T0200_reports.js';
import * as apiKeys from './2026-11-30T0300_api_keys.js';
import * as oidc from './2026-11-30T0310_oidc.js';
import * as stations from './2026-11-30T0500_stations.js';
import * as newsletter from './2026-11-30T0800_newsletter.js';
import * as kitchenRelease from './2026-11-30T0900_kitchen_release.js';
import * as ordersLocationPage from './2026-11-30T1000_orders_location_page.js';
import * as stationDone from './2026-12-01T0100_station_done.js';

/**
 * Every migration, by its ISO-dated name. Listed here rather than read from the folder so the
 * same list works from `src/` in tests and from `dist/` in production.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-25T1200_foundation': foundation,
  '2026-11-25T1300_accounts': accounts,
  '2026-11-25T1400_menu_stock': menuStock,
  '2026-11-25T1500_orders': orders,
  '2026-11-29T2000_audit_action_names': auditActionNames,
  '2026-11-29T2100_list_indexes': listIndexes,
  '2026-11-29T2100_slot_lock': slotLock,
  '2026-11-30T0400_payments': payments,
  '2026-11-30T0410_promo_codes': promoCodes,
  '2026-11-30T0100_jobs': jobs,
  '2026-11-30T0110_digests': digests,
  '2026-11-30T0200_reports': reports,
  '2026-11-30T0300_api_keys': apiKeys,
  '2026-11-30T0310_oidc': oidc,
  '2026-11-30T0500_stations': stations,
  '2026-11-30T0800_newsletter': newsletter,
  '2026-11-30T0900_kitchen_release': kitchenRelease,
  '2026-11-30T1000_orders_location_page': ordersLocationPage,
  '2026-12-01T0100_station_done': stationDone,
};
