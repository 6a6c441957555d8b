/**
 * How parcours may refer to a form field (friction detection: form errors, the last field touched). It names
 * fields and never reads their value; the names of sensitive fields are withheld too.
 */

/** Autocomplete tokens of card, password and one-time-code fields. */
const SENSITIVE_AUTOCOMPLETE = /(^|\s)(cc-[a-z-]+|current-password|new-password|one-time-code)(\s|$)/;
/** Words in a name, id, label or placeholder that mark a secret; short ones must be whole words (not "shipping"). */
const SENSITIVE_WORDS = /\b(cc|cvc|cvv|csc|cid|pin|otp|ssn|iban)\b|pass|pwd|secret|token|card|carte|karte|tarjeta|security ?code|contrase/;

const attr = (el: Element, name: string) => (el.getAttribute(name) || '').toLowerCase();

/**
 * Whether a field's name must be withheld: password and hidden inputs, `autocomplete` of `cc-*`,
 * `current-password`, `new-password` or `one-time-code`, a name, id, label, aria-label or placeholder that
 * speaks of a card, CVC/CVV, IBAN, SSN, PIN, one-time code, password, secret or token, and anything inside
 * `data-parcours-ignore`. When in doubt (the element cannot be read) it is sensitive.
 */
export const isSensitiveField = (el: Element): boolean => {
  try {
    const type = attr(el, 'type');
    const labels = Array.from((el as HTMLInputElement).labels || [], (label) => label.textContent);
    const text = [el.getAttribute('name'), el.id, el.getAttribute('aria-label'), el.getAttribute('placeholder'), ...labels].join(' ');
    return (
      !!el.closest('[data-parcours-ignore]') ||
      type == 'password' ||
      type == 'hidden' ||
      SENSITIVE_AUTOCOMPLETE.test(attr(el, 'autocomplete')) ||
      // `cardNumber`, `card_number`, `Card number` all become "card number".
      SENSITIVE_WORDS.test(text.slice(0, 500).replace(/([a-z])(?=[A-Z])/g, '$1 ').toLowerCase().replace(/[^a-z]+/g, ' '))
    );
  } catch {
    return true;
  }
};

/**
 * A field's name for events: its `name`, else `id`, else `autocomplete`, else its type (`text`, `email`,
 * `select-one`, `textarea`). Never its value. A sensitive field is named by its kind only: its sensitive
 * autocomplete token (`cc-number`) or its type (`password`). At most 100 characters; `undefined` when the
 * element cannot be read.
 */
export const fieldName = (el: Element): string | undefined => {
  try {
    const type = (((el as HTMLInputElement).type as string) || el.tagName).toLowerCase();
    const autocomplete = attr(el, 'autocomplete').trim();
    if (isSensitiveField(el)) return SENSITIVE_AUTOCOMPLETE.exec(autocomplete)?.[2] || type;
    // `on` and `off` say whether to autofill, not what the field is.
    return (el.getAttribute('name') || el.id || (/^(on|off)?$/.test(autocomplete) ? type : autocomplete)).slice(0, 100);
  } catch {}
};
