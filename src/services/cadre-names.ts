/**
 * Cadres and departments as the office types their names in chat (派单, 绑定码, 请假): what a
 * name names, from the configuration (the active cadres are exactly the configured ones).
 */
import { findDepartment, type Config } from '../config/schema.js';

/** Whether `text` is a configured cadre's name or id, or names a department. */
export function namesSomeone(config: Config, text: string): boolean {
  return config.cadres.some((c) => c.name === text || c.id === text) || findDepartment(config.departments, text) !== undefined;
}
