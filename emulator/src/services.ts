import type { EmulatorContext, Service } from './service';

/** The cloud services beyond the database and functions, each in its own folder. */
export function createServices(_ctx: EmulatorContext): Service[] {
  return [];
}
