/**
 * A short CSS selector that names an element the same way on every page view, and never carries what a customer
 * typed or sees: no values, no text, no href, only the tag, a stable id, `data-testid`, `name`, a
 * `data-parcours-*` marker (its name, not its value) or up to two stable classes, for the element and up to three
 * ancestors.
 */

/** Longest selector, in characters; ancestors are dropped first. */
export const MAX_SELECTOR = 100;

// Ids and classes frameworks generate (`ember123`, `shopify-section-template--16084965__main`, `css-1x2y3z`,
// `sc-bdVaJa`, hex hashes) change between builds or page views: a selector with them would never group.
const GENERATED = /\d{3}|^(css|sc|jsx|svelte|emotion|styled)-|[\da-f]{8}/i;
// State classes come and go with the very clicks we report (`is-active`, `open`, `loading`).
const STATE = /^(is|has)-|active|current|open|selected|hover|focus|disabled|loading|visible|hidden|show/i;

/** `s` when it is a plain, stable-looking identifier (and so a safe, meaningful part of a selector). */
export const stable = (s: string | null | undefined): string =>
  s && /^[a-z_][\w-]{0,39}$/i.test(s) && !GENERATED.test(s) ? s : '';

const describeNode = (el: Element): [part: string, unique?: boolean] => {
  const tag = el.localName;
  const id = stable(el.id);
  if (id) return [tag + '#' + id, true]; // unique in the document: ancestors add nothing
  for (const name of ['data-testid', 'name']) {
    const v = stable(el.getAttribute(name));
    if (v) return [`${tag}[${name}="${v}"]`];
  }
  const marker = [...el.attributes].find((a) => a.name.startsWith('data-parcours-'));
  if (marker) return [`${tag}[${marker.name}]`];
  const classes = (el.getAttribute('class') || '')
    .split(/\s+/)
    .filter((c) => stable(c) && !STATE.test(c))
    .slice(0, 2);
  return [tag + classes.map((c) => '.' + c).join('')];
};

/** The selector of `el` (`''` for anything that is not an element). Never throws. */
export const selectorOf = (el: unknown): string => {
  const parts: string[] = [];
  try {
    // The element and up to 3 ancestors, stopping at <body>: every element is inside it.
    for (let e = el as Element | null, i = 0; e?.localName && i < 4 && !(i && /^(body|html)$/.test(e.localName)); e = e.parentElement, i++) {
      const [part, unique] = describeNode(e);
      parts.unshift(part);
      if (unique) break;
    }
  } catch {}
  while (parts.length > 1 && parts.join(' > ').length > MAX_SELECTOR) parts.shift();
  return parts.join(' > ').slice(0, MAX_SELECTOR);
};
