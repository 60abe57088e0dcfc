/**
 * The search parameters every console page shares: the location being managed (its id). Kept
 * apart from the screens (and the navigation) so router.tsx validates it without loading them
 * into the guest's first page.
 */
export function manageSearch(search: Record<string, unknown>): { location?: string | undefined } {
  return { location: typeof search.location === 'string' && search.location ? search.location : undefined };
}
