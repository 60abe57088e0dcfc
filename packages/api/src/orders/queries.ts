/** An option as it was sold, copied onto the line when the order was placed. */
export interface SoldOption {
  name: string;
  groupName: string | null;
  priceDeltaMinor: number;
}

/** The options column as written by orders.place (PricedOption[]), read defensively. */
export function soldOptions(value: unknown): SoldOption[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((option: unknown) => {
    if (typeof option !== 'object' || option === null) return [];
    const o = option as Record<string, unknown>;
    if (typeof o.name !== 'string') return [];
    return [
      {
        name: o.name,
        groupName: typeof o.groupName === 'string' ? o.groupName : null,
        priceDeltaMinor: typeof o.priceDeltaMinor === 'number' ? o.priceDeltaMinor : 0,
      },
    ];
  });
}
