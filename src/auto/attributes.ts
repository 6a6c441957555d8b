import type { Part } from '../tracker';
import { listen } from '../lib/listen';

/** Properties of an element: its `data-parcours-prop-*` attributes, numbers kept as numbers. */
export const propsOf = (el: Element): Record<string, string | number> => {
  const props: Record<string, string | number> = {};
  for (const { name, value } of el.attributes)
    if (name.startsWith('data-parcours-prop-')) props[name.slice(19).replace(/-/g, '_')] = value !== '' && !isNaN(+value) ? +value : value;
  return props;
};

/**
 * `data-parcours-event="name"`: a click on the element (or the submit of a form carrying it) records that event
 * with its `data-parcours-prop-*` values. Delegated at the document, so elements added later work too.
 */
export const attributes = (): Part => (api) =>
  listen(document, 'click submit', (e: Event) => {
    const target = e.target as Element;
    const el = e.type == 'click' ? target?.closest?.('[data-parcours-event]') : target;
    // A form's event is its submit, not a click inside it.
    const name = el && (el.tagName == 'FORM') == (e.type == 'submit') && el.getAttribute('data-parcours-event');
    if (name) api.track(name, propsOf(el));
  }, api.log);
