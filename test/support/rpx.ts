/**
 * rpx in inline styles (`style="font-size: {{size}}"`, TDesign's computed sizes) as WeChat converts them on
 * a 375 px wide phone: 750rpx is the screen's width, so 1rpx = 0.5px. j-component turns 1rpx into 1px.
 */
export const RPX_TO_PX = 0.5;

export const rpxToPx = (css: string) => css.replace(/(\d*\.?\d+)rpx/gi, (_, n: string) => `${Number((Number(n) * RPX_TO_PX).toFixed(3))}px`);

export function convertRpxAsWeChat() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('j-component/src/tool/utils') as { transformRpx: (css: string) => string }).transformRpx = rpxToPx;
}
