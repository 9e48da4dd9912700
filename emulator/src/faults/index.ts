/**
 * Fault injection's control endpoint: `GET /__emulator/faults` answers `{settings, counters}`;
 * `PUT /__emulator/faults` (the settings' JSON, `{}` = no faults) replaces the settings and answers the same.
 */
import type { ServerResponse } from 'node:http';
import type { Service } from '../service';
import type { FaultInjector } from './injector';
import { FaultSettingsError, parseFaultSettings } from './settings';

export { FaultInjector, type FaultCounters, type KillPoint } from './injector';
export { FaultSettingsError, parseFaultSettings, startupFaultSettings, type FaultSettings } from './settings';

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createFaultsService(faults: FaultInjector): Service {
  const state = () => ({ settings: faults.settings(), counters: faults.counters() });
  return {
    routes: [
      { method: 'GET', path: /^\/__emulator\/faults$/, handle: async (_request, res) => json(res, 200, state()) },
      {
        method: 'PUT',
        path: /^\/__emulator\/faults$/,
        async handle({ body }, res) {
          let value: unknown;
          try {
            value = JSON.parse(body.toString('utf8') || '{}');
          } catch (e) {
            return json(res, 400, { error: `faults: request body must be JSON: ${(e as Error).message}` });
          }
          try {
            faults.configure(parseFaultSettings('faults', value));
          } catch (e) {
            if (e instanceof FaultSettingsError) return json(res, 400, { error: e.message });
            throw e;
          }
          json(res, 200, state());
        },
      },
    ],
    async close() {
      faults.close();
    },
  };
}
