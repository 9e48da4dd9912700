import { createWebAuthService } from './auth';
import { createClientDatabase } from './client-db';
import { createFaultsService } from './faults';
import { createHostingService } from './hosting';
import { createInspectService } from './inspect';
import { createOpenApiService } from './openapi';
import { payService } from './pay';
import type { EmulatorContext, Service } from './service';
import { createStorageService } from './storage/service';
import { createTimerService } from './timers';

/** The cloud services beyond the database and functions, each in its own folder. */
export function createServices(ctx: EmulatorContext): Service[] {
  // The web SDK's storage calls arrive with a web sign-in, so the auth service reaches storage's model.
  const storage = createStorageService(ctx);
  return [createClientDatabase(ctx), createInspectService(ctx), storage, createOpenApiService(ctx), payService(ctx), createTimerService(ctx), createFaultsService(ctx.faults), createWebAuthService(ctx, storage.web), createHostingService(ctx)];
}
