/** The exparser instance j-component renders with, and j-component itself (for the harness's corrections of it). */
export interface ExparserElement {
  hasExternalClass(name: string): boolean;
  setExternalClass(name: string, value: string): void;
  addListener(name: string, listener: () => void, options?: unknown): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const exparser = require(require.resolve('miniprogram-exparser', { paths: [require.resolve('j-component')] })) as {
  Element: { prototype: ExparserElement };
  Component: { prototype: ExparserElement };
};

/** The j-component instance miniprogram-simulate registers its built-in components with. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const jComponent = require('j-component') as { register(definition: Record<string, unknown>): void };
