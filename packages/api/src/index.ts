export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './root.js';
export { createContext, type Context, type ContextOptions, type Logger } from './context.js';
export { BistroError, notFound } from './errors.js';
export type { BistroErrorData } from './trpc.js';
export { menuQuery } from './menu/queries.js';
