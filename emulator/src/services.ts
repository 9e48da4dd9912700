import { createWebAuthService } from './auth';
import { createClientDatabase } from './client-db';
import { createFaultsService } from './faults';
import { createInspectService } from './inspect';
import { createOpenApiService } from './openapi';
import { payService } from './pay';
import type { EmulatorContext, Service } from './service';
import { createStorageService } from './storage/service';
import { createTimerService } from './timers';

/** The cloud services beyond the database and functions, each in its own folder. */
export function createServices(ctx: EmulatorContext): Service[] {
  return [createClientDatabase(ctx), createInspectService(ctx), createStorageService(ctx), createOpenApiService(ctx), payService(ctx), createTimerService(ctx), createFaultsService(ctx.faults), createWebAuthService(ctx)];
}
