import { buildJs, buildTypes, clean } from './bundle.ts';

await clean();
await Promise.all([buildJs(), buildTypes()]);
