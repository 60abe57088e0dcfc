export { createServer, type BistroServer, type ServerOptions } from './server.js';
export { loadConfig, ConfigError, type Config } from './config.js';
