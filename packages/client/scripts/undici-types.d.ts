// Stands in for `undici-types` in the published declarations (see scripts/bundle.ts).
export type FormData = globalThis.FormData;
