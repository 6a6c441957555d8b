import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_SELECTOR, selectorOf } from '../../../src/signals/selector';

const el = (html: string, pick = '[data-pick]') => {
  document.body.innerHTML = html;
  return document.querySelector(pick)!;
};

describe('selectorOf names an element the same way on every page view', () => {
  beforeEach(() => (document.body.innerHTML = ''));

  it('uses a stable id, and no ancestors: an id is unique', () => {
    expect(selectorOf(el('<main><form id="checkout"><button data-pick id="place-order">Pay</button></form></main>'))).toBe('button#place-order');
  });

  it('skips generated ids and classes (digit runs, CSS-in-JS prefixes, hashes)', () => {
    const node = el(
      '<section id="shopify-section-template--16084965015790__main"><div class="css-1x2y3z sc-bdVaJa a3f9c2d1e4"><button data-pick id="ember1234" class="btn">Add</button></div></section>',
    );
    expect(selectorOf(node)).toBe('section > div > button.btn');
  });

  it('prefers data-testid, then name, then a data-parcours-* marker (its name only), then two stable classes', () => {
    expect(selectorOf(el('<button data-pick data-testid="add-to-cart" name="add" class="a b">x</button>'))).toBe('button[data-testid="add-to-cart"]');
    expect(selectorOf(el('<input data-pick name="email" class="a b">'))).toBe('input[name="email"]');
    expect(selectorOf(el('<div data-pick data-parcours-gallery="summer-sale-2024" class="a b"></div>'))).toBe('div[data-parcours-gallery]');
    expect(selectorOf(el('<a data-pick class="product-card__link primary extra">x</a>'))).toBe('a.product-card__link.primary');
  });

  it('leaves out state classes that come and go with clicks', () => {
    expect(selectorOf(el('<button data-pick class="is-loading tab active open btn--primary">x</button>'))).toBe('button.tab.btn--primary');
  });

  it('is the same before and after the element changes state', () => {
    const node = el('<ul class="tabs"><li class="tab"><button data-pick class="tab__button">Reviews</button></li></ul>');
    const before = selectorOf(node);
    node.classList.add('is-active', 'selected');
    node.setAttribute('aria-selected', 'true');
    expect(selectorOf(node)).toBe(before);
  });

  it('goes up at most three ancestors and stops at <body>', () => {
    expect(selectorOf(el('<div class="a"><div class="b"><div class="c"><div class="d"><span data-pick class="e">x</span></div></div></div></div>'))).toBe(
      'div.b > div.c > div.d > span.e',
    );
    expect(selectorOf(el('<p data-pick>x</p>'))).toBe('p');
    expect(selectorOf(document.body)).toBe('body');
  });

  it('never carries values, text, hrefs or attribute values that could be user data', () => {
    const node = el(
      '<form id="jane.doe@example.com"><input data-pick value="4111 1111 1111 1111" name="card number 4111" placeholder="Jane" title="secret" class="a@b.c"></form>',
    );
    expect(selectorOf(node)).toBe('form > input');
    expect(selectorOf(el('<a data-pick href="/account?token=abc123" aria-label="Jane Doe">Jane Doe</a>'))).toBe('a');
  });

  it(`is at most ${MAX_SELECTOR} characters, dropping ancestors first`, () => {
    const c = (n: string) => `${n}-qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq ${n}-rrrrrrrrrrrrrrrrrrrrrrrrrrrrrr`;
    const node = el(`<div class="${c('w')}"><div class="${c('x')}"><div class="${c('y')}"><span data-pick class="${c('z')}">x</span></div></div></div>`);
    const s = selectorOf(node);
    expect(s.length).toBeLessThanOrEqual(MAX_SELECTOR);
    expect(s.endsWith('span.z-qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq.z-rrrrrrrrrrrrrrrrrrrrrrrrrrrrrr')).toBe(true);
  });

  it('answers "" for anything that is not an element', () => {
    expect([selectorOf(null), selectorOf(undefined), selectorOf(document), selectorOf('button'), selectorOf(document.createTextNode('x'))]).toEqual(['', '', '', '', '']);
  });
});
