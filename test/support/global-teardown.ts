import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__EMULATOR__?.stop();
  if (process.env.TEST_WORK_DIR) rmSync(process.env.TEST_WORK_DIR, { recursive: true, force: true });
}
