// `npm run db:codegen`: migrate a scratch database and write src/schema.ts from it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchemaTypes } from './codegen.js';
import { createTestDatabase } from './testing.js';

const tdb = await createTestDatabase({ seed: false });
try {
  const source = await generateSchemaTypes(tdb.db);
  const target = fileURLToPath(new URL('../src/schema.ts', import.meta.url));
  writeFileSync(target, source);
  console.log(`wrote ${target}`);
} finally {
  await tdb.drop();
}
