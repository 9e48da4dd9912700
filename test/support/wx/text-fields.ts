/**
 * The built-in `<input>` and `<textarea>` keep their `value` and `placeholder` on their element, as WeChat's
 * renderer does, for what draws the page (the preview's CSS shows them). j-component's are empty elements
 * that drop both. Attributes, not text: a field's value is no part of the page's text.
 */
import { jComponent } from '../exparser';

interface FieldCaller {
  readonly _exparserNode: { $$?: HTMLElement };
}


const show = (element: HTMLElement | undefined, name: string, value: unknown) => {
  if (value === null || value === undefined || value === '') element?.removeAttribute(name);
  else element?.setAttribute(name, String(value));
};

export function registerTextFields() {
  for (const name of ['input', 'textarea']) {
    jComponent.register({
      id: name,
      tagName: `wx-${name}`,
      template: '<slot/>',
      properties: { value: { type: null, value: '' }, placeholder: { type: String, value: '' }, password: { type: Boolean, value: false } },
      observers: {
        'value, placeholder, password'(this: FieldCaller, value: unknown, placeholder: string, password: boolean) {
          const element = this._exparserNode.$$;
          show(element, 'value', password && value ? '•'.repeat(String(value).length) : value);
          show(element, 'placeholder', placeholder);
        },
      },
    });
  }
}
