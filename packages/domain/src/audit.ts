import { z } from 'zod';

/**
 * What the audit trail records, one name per kind of change. The style, for every action:
 * `subject.event`, two segments of lower snake_case, the subject a singular noun (`auth` for
 * the caller's own account), the event what happened, in the past tense: `menu.item_archived`,
 * `auth.signed_in`, `role.changed`. Stored rows of earlier names are renamed by the migration
 * 2026-11-29T2000_audit_action_names.
 */
export const AUDIT_ACTIONS = [
  'auth.signed_up',
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.signed_out_everywhere',
  'auth.email_verified',
  'auth.password_changed',
  'auth.password_reset',
  'auth.account_claimed',
  'user.disabled',
  'user.enabled',
  'role.granted',
  'role.changed',
  'staff.invited',
  'location.created',
  'location.updated',
  'menu.category_created',
  'menu.category_updated',
  'menu.category_archived',
  'menu.categories_reordered',
  'menu.item_created',
  'menu.item_updated',
  'menu.item_archived',
  'menu.items_reordered',
  'menu.item_photo_set',
  'menu.item_photo_removed',
  'menu.option_group_created',
  'menu.option_group_updated',
  'menu.option_group_archived',
  'inventory.ingredient_created',
  'inventory.ingredient_updated',
  'inventory.stock_adjusted',
  'inventory.recipe_set',
  'kitchen.item_86ed',
  'station.created',
  'station.updated',
  'station.archived',
  'station.reordered',
  'kitchen.item_un86ed',
  'job.retried',
  'apikey.created',
  'apikey.revoked',
  'auth.identity_linked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
