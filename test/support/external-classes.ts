import { exparser, type ExparserElement } from './exparser';

/**
 * The `class` a page puts on a TDesign component, as WeChat applies it. TDesign's components are virtual
 * hosts (no element of their own) that declare `class` among their `externalClasses`, so WeChat gives the
 * page's class names to the component's inner root, in the page's style scope. j-component sets `class`
 * only on the host node: queries by class find it, but no element carries the class and the page's styles
 * never reach the component. Other external classes (`t-class`, `t-class-content`...) j-component
 * forwards itself.
 */
export function forwardClassToExternalClass() {
  const element = Object.getOwnPropertyDescriptor(exparser.Element.prototype, 'class')!;
  Object.defineProperty(exparser.Component.prototype, 'class', {
    configurable: true,
    get: element.get,
    set(this: ExparserElement, value: string) {
      element.set!.call(this, value);
      if (this.hasExternalClass('class')) this.setExternalClass('class', value);
    },
  });
}
