/** The public surface of lianxin. */
export { createApp, roles, type App, type AppOptions, type Role } from './app.js';
export { ConfigError, loadConfig } from './config/load.js';
export type { Config } from './config/schema.js';
export type { Clock } from './services/clock.js';
