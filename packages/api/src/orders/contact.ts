import type { DataKeys } from '../crypto/data-keys.js';

/** The encrypted contact columns of `orders`, and the additional data binding each value to its row and column. */
export const CONTACT_COLUMNS = {
  phone: 'contact_phone',
  email: 'contact_email',
  address: 'delivery_address',
} as const;

/** `orders.contact_phone:<order id>`: a ciphertext copied to another row or column fails to decrypt. */
export function contactAad(field: keyof typeof CONTACT_COLUMNS, orderId: string): string {
  return `orders.${CONTACT_COLUMNS[field]}:${orderId}`;
}

export interface Contact {
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
}

/** The guest's contact details in the clear, for the orderer and the location's managers only. */
export function decryptContact(
  dataKeys: DataKeys | undefined,
  orderId: string,
  row: { name: string; phone: Buffer | null; email: Buffer | null; address: Buffer | null },
): Contact {
  const open = (field: keyof typeof CONTACT_COLUMNS, blob: Buffer | null): string | null => {
    if (blob === null) return null;
    if (!dataKeys) throw new Error('No data keys to decrypt contact details with');
    return dataKeys.decrypt(blob, contactAad(field, orderId));
  };
  return { name: row.name, phone: open('phone', row.phone), email: open('email', row.email), address: open('address', row.address) };
}

/** What the kitchen and a tracking page may know of the guest: the first word of the name. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/u)[0] ?? '';
}
