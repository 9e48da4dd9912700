import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * TDesign's mini-program icons as the preview draws them. tdesign-miniprogram's icon.wxss loads its font
 * from a CDN (unreachable here), and no npm package ships that font; tdesign-icons-vue-next (installed
 * with the console's tdesign-vue-next) ships the same icon set, by the same names, as SVG outlines. Each
 * icon a page shows becomes a mask on the `::before` the font would draw, in the text's colour.
 */
const COMPONENTS = join(dirname(require.resolve('tdesign-icons-vue-next/package.json')), 'esm/components');

interface SvgNode {
  tag: string;
  attrs: Record<string, string | number>;
  children?: SvgNode[];
}

/** The vue components' defaults for a one-colour icon (the font's look). */
const PROPS: Record<string, string> = {
  strokeColor1: 'black',
  strokeColor2: 'black',
  filledColor: 'black',
  fillColor1: 'transparent',
  fillColor2: 'transparent',
  strokeWidth: '2',
};

const KEBAB = new Set(['clipRule', 'fillRule', 'maskType', 'strokeLinecap', 'strokeWidth']);

function attribute(key: string, value: string | number): string {
  const name = KEBAB.has(key) ? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) : key;
  let resolved = String(value);
  if (resolved.startsWith('props.')) {
    const prop = resolved.slice('props.'.length);
    const mask = /^overlapMask(Id|Url)_(.+)$/.exec(prop);
    resolved = mask ? (mask[1] === 'Url' ? `url(#overlap-${mask[2]})` : `overlap-${mask[2]}`) : (PROPS[prop] ?? '');
  }
  return ` ${name}="${resolved.replace(/"/g, '&quot;')}"`;
}

const svgOf = (node: SvgNode): string =>
  `<${node.tag}${Object.entries(node.attrs)
    .map(([key, value]) => attribute(key, value))
    .join('')}>${(node.children ?? []).map(svgOf).join('')}</${node.tag}>`;

/** The icon's SVG, or undefined when the set has no icon of that name. */
export function iconSvg(name: string): string | undefined {
  const file = join(COMPONENTS, `${name}.js`);
  if (!existsSync(file)) return undefined;
  const element = /var element = (\{[\s\S]*?\});\n/.exec(readFileSync(file, 'utf8'));
  if (!element) return undefined;
  const svg = JSON.parse(element[1]!) as SvgNode;
  return svgOf({ ...svg, attrs: { ...svg.attrs, xmlns: 'http://www.w3.org/2000/svg' } });
}

/** CSS drawing every TDesign icon class in `html` (`<prefix>--t-icon-<name>`, as the harness renders them). */
export function iconCss(html: string): string {
  const classes = new Set(html.match(/[\w-]+--t-icon-[a-z0-9-]+/g) ?? []);
  return [...classes]
    .map((cls) => {
      const svg = iconSvg(cls.slice(cls.indexOf('--t-icon-') + '--t-icon-'.length));
      if (!svg) return '';
      const mask = `url("data:image/svg+xml;utf8,${encodeURIComponent(svg)}") center / contain no-repeat`;
      return `.${cls}::before{content:'';display:block;width:1em;height:1em;background-color:currentColor;-webkit-mask:${mask};mask:${mask}}`;
    })
    .join('\n');
}
