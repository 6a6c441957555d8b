import { afterAll, describe, expect, test } from 'vitest';
import { detectPage } from '../../../src/detect';
import { parsePrice } from '../../../src/detect/price';
import { closeAll, load, page } from './load';

afterAll(closeAll);

const T = { timeout: 30_000 };
const at = (fixture: string, href: string) => {
  const { doc, url } = load('evidence/' + fixture, href);
  return detectPage(doc, url);
};

describe('a product page with no platform and no schema.org is recognised from what it shows', () => {
  test('buy button, heading and price: the current price, not the old, shipping, instalment or related ones', T, () => {
    expect(at('product-de-buy-button.html', 'https://berger.test/moebel/eichentisch-moelle')).toEqual({
      type: 'product',
      source: 'evidence',
      product: { name: 'Eichentisch Mölle, 140 × 80 cm', price: 1234.56, currency: 'EUR', sku: '002.937.72' },
    });
  });

  test('a lone itemprop="price" next to the heading', T, () => {
    expect(at('product-itemprop-price.html', 'https://lumen.test/lampes/opaline')).toMatchObject({
      type: 'product',
      source: 'evidence',
      product: { name: 'Lampe Opaline', price: 89.9, currency: 'EUR', sku: 'OP-2231' },
    });
  });

  test('Open Graph product:price tags and a product URL', T, () => {
    expect(at('product-og-price.html', 'https://grain.test/p/walnut-board')).toMatchObject({
      type: 'product',
      source: 'evidence',
      product: { name: 'Walnut serving board', price: 45, currency: 'AUD', sku: 'WB-4040' },
    });
  });

  test('out of stock: no buy control, but the page says so, at a product URL (no price is invented)', T, () => {
    const got = at('product-ja-sold-out.html', 'https://tobo.test/dp/B0TEAB0WL1');
    expect(got).toMatchObject({ type: 'product', source: 'evidence', product: { name: '抹茶碗 黒楽', sku: 'B0TEAB0WL1' } });
    expect(got.product?.price).toBeUndefined();
  });

  test('structured data that lags behind a sale loses to the price shown by the buy button and heading', T, () => {
    const doc = page(
      `<script type="application/ld+json">{"@type":"Product","name":"Lamp","sku":"L1","offers":{"price":"219.99","priceCurrency":"EUR"}}</script>
       <h1>Lamp</h1><div class="product-price"><s class="old-price">219,99 €</s> <span class="price">110,00 €</span></div>
       <button>Add to cart</button>`,
      'https://lamps.test/lamp-l1',
    );
    expect(detectPage(doc, new URL('https://lamps.test/lamp-l1'))).toMatchObject({ type: 'product', source: 'schema', product: { price: 110, currency: 'EUR', sku: 'L1' } });
  });
});

describe('the buy control in the shop’s language, and the price in its locale', () => {
  test('the theme’s add-to-cart class on the label inside the button: its price beats structured data from before a sale', T, () => {
    expect(at('product-lv-label-class.html', 'https://kalna.test/lat/soma-ruta-5066.html')).toMatchObject({
      type: 'product',
      product: { name: 'Soma Ruta', price: 110, currency: 'EUR', sku: 'SR-5066' },
    });
  });

  test('a currency sign in the text around the amount counts with it: "Unser Preis: €<b>49</b> inkl. MwSt."', T, () => {
    const href = 'https://s.test/catalogue/teekanne';
    const doc = page('<h1>Teekanne</h1><p>Unser Preis: €<b>49</b> inkl. MwSt.</p><p>最低價 NT$<b>99</b> 元起/包</p><button>In den Warenkorb</button>', href);
    expect(detectPage(doc, new URL(href)).product).toMatchObject({ price: 49, currency: 'EUR' });
  });

  // [language, label, printed price, value, ISO currency]
  test.each([
    ['en', 'Add to cart', '$1,299.00', 1299, 'USD'],
    ['en-GB', 'Add to basket', '£49.00', 49, 'GBP'],
    ['fr', 'Ajouter au panier', '1 299,00 €', 1299, 'EUR'],
    ['de', 'In den Warenkorb', '1.234,56 €', 1234.56, 'EUR'],
    ['de-CH', 'In den Warenkorb', "CHF 1'299.–", 1299, 'CHF'],
    ['es-CL', 'Agregar al carrito', '24.990 CLP', 24990, 'CLP'],
    ['it', 'Aggiungi al carrello', '€ 17,10', 17.1, 'EUR'],
    ['nl', 'In winkelwagen', '€ 34,95', 34.95, 'EUR'],
    ['pt-BR', 'Adicionar ao carrinho', 'R$ 1.759,99', 1759.99, 'BRL'],
    ['pl', 'Dodaj do koszyka', '997,00 zł', 997, 'PLN'],
    ['hr', 'Kupi', '270,00 €', 270, 'EUR'],
    ['cs', 'Přidat do košíku', '1 290 Kč', 1290, 'CZK'],
    ['sk', 'Do košíka', '13,40 €', 13.4, 'EUR'],
    ['sv', 'Lägg i varukorgen', '1 295 SEK', 1295, 'SEK'],
    ['ru', 'В корзину', '2 490 ₽', 2490, 'RUB'],
    ['ja', 'カートに入れる', '￥1,280', 1280, 'JPY'],
    ['zh', '加入购物车', '199.00 元', 199, 'CNY'],
    ['ko', '장바구니 담기', '30,000원', 30000, 'KRW'],
  ])('%s: "%s" and %s', T, (lang, label, printed, value, currency) => {
    const href = 'https://shop.test/catalogue/item-name';
    const doc = page(`<html lang="${lang}"><body><main><h1>Item name</h1><p class="price">${printed}</p><button>${label}</button></main></body></html>`, href);
    expect(detectPage(doc, new URL(href))).toEqual({ type: 'product', source: 'evidence', product: { name: 'Item name', price: value, currency } });
  });
});

describe('a recommended retail or list price is not the price paid', () => {
  test('建議售價 in the cell before one amount, 定價 struck through, the shop’s price with 元 in the element after it', T, () => {
    expect(at('product-zh-rrp.html', 'https://kobayashi.test/shop/K2-BT-7781.htm').product).toMatchObject({ price: 2320, sku: 'K2-BT-7781' });
  });

  test('"RRP" as its own element in front of the amount; the item number, not the EAN above it', T, () => {
    expect(at('product-en-rrp-ean.html', 'https://hearth.test/cookware/casserole').product).toMatchObject({ price: 89, currency: 'GBP', sku: 'CI-24-RED' });
  });

  test.each([
    ['UVP', '49,99 €', '39,99 €'],
    ['MSRP:', '$59.00', '$45.00'],
    ['PVP recomendado', '35,00 €', '29,90 €'],
    ['Prix conseillé', '24,90 €', '19,90 €'],
    ['Statt', '12,99 €', '9,99 €'],
    ['Was', '£20.00', '£15.00'],
  ])('"%s %s" before "%s"', T, (word, list, paid) => {
    const href = 'https://s.test/catalogue/x';
    const doc = page(`<h1>X</h1><div><span>${word}</span> <span>${list}</span></div><div><span>${paid}</span></div><button>Add to cart</button>`, href);
    expect(detectPage(doc, new URL(href)).product?.price).toBe(parsePrice(paid)!.value);
  });

  test('structured data giving the starting price: the current bid shown, not read glued to "2 bids"', T, () => {
    expect(at('product-auction-starting-price.html', 'https://hall.test/item/93133869_wool-pillows').product).toMatchObject({ price: 200, currency: 'USD', sku: '93133869' });
  });

  test('structured data giving the price the page labels as the list price: the price shown beats it', T, () => {
    const href = 'https://s.test/catalogue/kettle';
    const html = `<script type="application/ld+json">{"@type":"Product","name":"Kettle","offers":{"price":"49.99","priceCurrency":"EUR"}}</script>
      <h1>Kettle</h1><p><span>UVP</span> <span>49,99 €</span></p><p class="price">39,99 €</p>`;
    expect(detectPage(page(html, href), new URL(href)).product?.price).toBe(39.99);
  });

  test('an amount struck through deep inside the element read as the amount: <p><font><del>', T, () => {
    const href = 'https://s.test/catalogue/x';
    const doc = page('<h1>X</h1><p><font size="2"><del>$30.00</del></font></p><p>$20.00</p><button>Add to cart</button>', href);
    expect(detectPage(doc, new URL(href)).product?.price).toBe(20);
  });

  test('a heading before the price is not a label: "Regular fit shirt" keeps its price', T, () => {
    const href = 'https://s.test/catalogue/x';
    const doc = page('<div><h1>Regular fit shirt</h1><span class="price">£25.00</span></div><button>Add to cart</button>', href);
    expect(detectPage(doc, new URL(href)).product?.price).toBe(25);
  });
});

describe('identifiers the page shows', () => {
  test.each([
    ['<dl><dt>SKU</dt><dd>AB-123</dd></dl>', 'https://s.test/catalogue/x', 'AB-123'],
    ['<p>Item # 4781720</p>', 'https://s.test/catalogue/x', '4781720'],
    ['<p>Réf. 76-AZ</p>', 'https://s.test/catalogue/x', '76-AZ'],
    ['<p>Артикул: 01245</p>', 'https://s.test/catalogue/x', '01245'],
    ['<p>Šifra: 250117</p>', 'https://s.test/catalogue/x', '250117'],
    ['<p>Koda izdelka</p><p>ZK-2231</p>', 'https://s.test/catalogue/x', 'ZK-2231'],
    ['<p>Kód: 7A-3310</p>', 'https://s.test/catalogue/x', '7A-3310'],
    ['<span>Kod produktu:</span> <span>PL-0042</span>', 'https://s.test/catalogue/x', 'PL-0042'],
    ['<p>Varenr. 118-224</p>', 'https://s.test/catalogue/x', '118-224'],
    ['<p>Numer katalogowy: 45.110</p>', 'https://s.test/catalogue/x', '45.110'],
    ['<p>Cod. 88123</p>', 'https://s.test/catalogue/x', '88123'],
    ['<p>型番：KX-T7730</p>', 'https://s.test/catalogue/x', 'KX-T7730'],
    ['<p>货号: 6602931</p>', 'https://s.test/catalogue/x', '6602931'],
    ['<p>EAN: 4006381333931</p><p>Artikelnummer: 10-4471</p>', 'https://s.test/catalogue/x', '10-4471'],
    ['<p>EAN: 4006381333931</p>', 'https://s.test/catalogue/x', '4006381333931'],
    ['<li><strong>Šifra:</strong> 0638</li>', 'https://s.test/catalogue/x', '0638'],
    ['<p>EAN: 4006381333931</p>', 'https://s.test/pc/imac-pro-27-112949990', '112949990'],
    ['<p>Item number: CI-24</p>', 'https://s.test/pc/imac-pro-27-112949990', 'CI-24'],
    ['<span itemprop="gtin13">4006381333931</span><span itemprop="sku">TX-12</span>', 'https://s.test/catalogue/x', 'TX-12'],
    ['', 'https://s.test/store/122?pid=260591', '260591'],
    ['', 'https://s.test/massivholz-regal-p400105394.html', '400105394'],
    ['', 'https://s.test/powerbus/M14876706.htm', 'M14876706'],
  ])('%s at %s → %s', T, (html, href, sku) => {
    const doc = page(`<h1>X</h1><p class="price">12,00 €</p>${html}<button>Add to cart</button>`, href);
    expect(detectPage(doc, new URL(href)).product?.sku).toBe(sku);
  });
});

describe('an id has no spaces: a sku of words is a name or a model', () => {
  test('a model name in the JSON-LD sku gives way to the product code the page shows', T, () => {
    expect(at('product-sku-words.html', 'https://getpc.test/Prod/144432/').product).toMatchObject({ price: 1679, sku: '144432' });
  });

  test.each([
    ['JSON-LD', '<script type="application/ld+json">{"@type":"Product","name":"Zombie scar kit","sku":"Fake Wounds","offers":{"price":"1.99","priceCurrency":"GBP"}}</script>'],
    ['microdata', '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Zombie scar kit</span><span itemprop="sku">Fake Wounds</span></div>'],
  ])('a sku of words in %s gives way to the id in the URL', T, (_, html) => {
    const href = 'https://market.test/itm/302474151804';
    expect(detectPage(page(`${html}<h1>Zombie scar kit</h1><p class="price">£1.99</p><button>Buy it now</button>`, href), new URL(href)).product?.sku).toBe('302474151804');
  });

  test('a model code with spaces stays the sku when the page shows no other id', T, () => {
    const href = 'https://bike.test/garni-570-easy-ii';
    const html = '<script type="application/ld+json">{"@type":"Product","name":"Garni 570 Easy II","sku":"GARNI 570 EASY II","offers":{"price":"54.50","priceCurrency":"EUR"}}</script><h1>Garni 570 Easy II</h1>';
    expect(detectPage(page(html, href), new URL(href)).product?.sku).toBe('GARNI 570 EASY II');
  });
});

describe('the other page types on shops off the platforms', () => {
  test('a form asking for a card number is the payment step', T, () => {
    expect(at('checkout-card-form.html', 'https://pay.test/secure/step')).toEqual({ type: 'checkout', step: 'payment', source: 'evidence' });
  });

  test('a form asking for a shipping address is the shipping step', T, () => {
    expect(at('checkout-shipping-form.html', 'https://tienda.test/secure/step')).toEqual({ type: 'checkout', step: 'shipping', source: 'evidence' });
  });

  test('line items with quantity inputs and a way on to checkout, nothing to add: a cart', T, () => {
    expect(at('cart-lines.html', 'https://thee.test/overzicht')).toMatchObject({ type: 'cart', source: 'evidence' });
  });

  test('a grid of product tiles with their prices: a collection', T, () => {
    expect(at('grid-category.html', 'https://swiatlo.test/lampy-stolowe')).toMatchObject({ type: 'collection', source: 'evidence' });
  });
});

describe('pages about products are not product pages', () => {
  test('an article with a product’s JSON-LD in a sidebar', T, () => {
    const got = at('article-with-product-jsonld.html', 'https://news.test/2024/03/ten-years-of-a-kettle');
    expect(got.type).not.toBe('product');
    expect(got.product).toBeUndefined();
  });

  test('a review blog with prices and "buy now" links to other shops', T, () => {
    const got = at('review-blog.html', 'https://blog.test/duschkoepfe-test');
    expect(got.type).not.toBe('product');
    expect(got.product).toBeUndefined();
  });
});
