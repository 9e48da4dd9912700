import { exparser } from './exparser';

/**
 * `animation="{{...}}"` (wx.createAnimation) runs to its end, as in WeChat. j-component applies an
 * animation's first step, then waits for `transitionend` to apply the next, which jsdom (no layout, no
 * transitions) never fires: TDesign's collapse panel stayed at its first step, 0 px high, hiding an
 * expanded chapter's lessons. Each step is applied a macrotask after the previous one.
 */
const MAX_STEPS = 16;

export function finishAnimations() {
  const proto = exparser.Element.prototype;
  const addListener = proto.addListener;
  proto.addListener = function (name, listener, options) {
    addListener.call(this, name, listener, options);
    // Only j-component's animation listens this way; the page's bindings go through addListenerToElement.
    if (name !== 'transitionend') return;
    let step = 0;
    const next = () => {
      listener();
      if (++step < MAX_STEPS) setTimeout(next, 0);
    };
    setTimeout(next, 0);
  };
}
