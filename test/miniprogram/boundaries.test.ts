import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { config } from '../../miniprogram/config';
import { MINIPROGRAM_ROOT } from '../support/miniprogram';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'miniprogram_npm' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import statement (`import ... from '...'`, `import '...'`, `export ... from '...'`) of a file. */
const importsOf = (code: string) => [...code.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?\s*(?:from\s+)?['"]([^'"]+)['"]/gm)];

describe('the mini program package', () => {
  it('takes only types from outside miniprogram/ (domain/ stays out of the package)', () => {
    const leaks: string[] = [];
    for (const file of sources(MINIPROGRAM_ROOT)) {
      for (const [statement, , typeOnly, specifier] of importsOf(readFileSync(file, 'utf8'))) {
        const outside = specifier!.startsWith('.') && relative(MINIPROGRAM_ROOT, resolve(dirname(file), specifier!)).startsWith('..');
        if (outside && !typeOnly) leaks.push(`${relative(MINIPROGRAM_ROOT, file)}: ${statement.trim()}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('asks the learner for the same subscription templates the functions send', () => {
    const cloud = JSON.parse(readFileSync(resolve(MINIPROGRAM_ROOT, '../cloud.config.json'), 'utf8')) as {
      subscribeMessage: { templates: Record<string, { purpose?: string }> };
    };
    const byPurpose = Object.fromEntries(Object.entries(cloud.subscribeMessage.templates).map(([id, t]) => [t.purpose, id]));
    for (const [purpose, id] of Object.entries(config.subscribeTemplates)) expect([purpose, id]).toEqual([purpose, byPurpose[purpose]]);
  });

  it('gives every tab an icon and a selected icon WeChat shows: a PNG of 81x81 px under 40 KB', () => {
    const app = JSON.parse(readFileSync(join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { tabBar: { list: Array<{ text: string; iconPath?: string; selectedIconPath?: string }> } };
    for (const tab of app.tabBar.list) {
      for (const path of [tab.iconPath, tab.selectedIconPath]) {
        expect([tab.text, typeof path]).toEqual([tab.text, 'string']);
        const png = readFileSync(join(MINIPROGRAM_ROOT, path!));
        expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([81, 81]);
        expect(png.length).toBeLessThan(40 * 1024);
      }
    }
  });
});
