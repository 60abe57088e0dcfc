export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from './root.js';
export { createContext, type Auth, type Context, type ContextOptions, type Logger, type RequestInfo, type Services, type SessionCookies } from './context.js';
export { Passwords } from './auth/passwords.js';
export { Limiter, LIMITS } from './limiter.js';
export { createMailer, type Email, type Mailer } from './mailer.js';
export type { Meta } from './trpc.js';
export { BistroError, notFound } from './errors.js';
export type { BistroErrorData } from './trpc.js';
export { menuQuery } from './menu/queries.js';
