export { ConfigError, type ConfigProblem } from './errors';
export { configJsonSchema, JSON_SCHEMA_PATH } from './json-schema';
export {
  CONFIG_ENV_VAR,
  CWD_CONFIG_FILE,
  EMBEDDED_CONFIG,
  loadConfig,
  loadConfigFile,
  locateConfig,
  parseConfigText,
  validateConfig,
  type ConfigLocation,
} from './load';
export type { ResolvedConfig, ResolvedRegion, ResolvedTable } from './resolved';
export type { ConfigInput } from './schema';
