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
export const attributes = (): Part => (api) => {
  const fire = (el: Element | null | undefined) => {
    const name = el?.getAttribute('data-parcours-event');
    if (name) api.track(name, propsOf(el!));
  };
  const offClick = listen(document, 'click', (e: MouseEvent) => {
    const el = (e.target as Element)?.closest?.('[data-parcours-event]');
    if (el?.tagName != 'FORM') fire(el); // a form's event is its submit, not a click inside it
  }, api.log);
  const offSubmit = listen(document, 'submit', (e: SubmitEvent) => {
    const form = e.target as Element;
    if (form?.matches?.('form[data-parcours-event]')) fire(form);
  }, api.log);
  return () => (offClick(), offSubmit());
};
