import { describe, expect, test } from 'vitest';
import { parsePrice } from '../../../src/detect';

describe('parsePrice reads prices as shops print them', () => {
  test.each([
    ['1 234,50 €', 1234.5, 'EUR'],
    ['1.234,50 €', 1234.5, 'EUR'],
    ['$1,234.50', 1234.5, 'USD'],
    ['£12', 12, 'GBP'],
    ["CHF 1'234.50", 1234.5, 'CHF'],
    ['¥1234', 1234, 'JPY'],
    ['1 234,50 EUR', 1234.5, 'EUR'],
    ['1\u00a0234,50\u00a0€', 1234.5, 'EUR'], // no-break spaces (WooCommerce, fr-FR)
    ['1\u202f234,50\u00a0€', 1234.5, 'EUR'], // narrow no-break space (Intl fr-FR)
    ['€59,00 EUR', 59, 'EUR'],
    ['12,00 € TTC', 12, 'EUR'],
    ['R$ 1.299,90', 1299.9, 'BRL'],
    ['CA$19.99', 19.99, 'CAD'],
    ['A$ 5', 5, 'AUD'], // the longer sign first: not a bare "$"
    ['AU$5', 5, 'AUD'],
    ['C$5', 5, 'CAD'],
    ['3.500 Kč', 3500, 'CZK'],
    ['1,200원', 1200, 'KRW'],
    ['19,99 zł', 19.99, 'PLN'],
    ['$1,234,567.89', 1234567.89, 'USD'],
    ['12.345.678,90 €', 12345678.9, 'EUR'],
    ['ab 1.249,00 €', 1249, 'EUR'],
  ])('%s → %d %s', (text, value, currency) => {
    expect(parsePrice(text)).toEqual({ value, currency });
  });

  test.each([
    ['12,5', 12.5],
    ['12.50', 12.5],
    ['1.234', 1234], // one separator before exactly three digits groups thousands
    ['1,234', 1234],
    ['0.125', 0.125], // …unless the integer part is zero
    ['1234', 1234],
    ['29', 29],
  ])('%s → %d without a currency', (text, value) => {
    expect(parsePrice(text)).toEqual({ value });
  });

  test('uses the fallback currency when the text shows none, and for a bare "$"', () => {
    expect(parsePrice('12,50', 'EUR')).toEqual({ value: 12.5, currency: 'EUR' });
    expect(parsePrice('$12.00', 'CAD')).toEqual({ value: 12, currency: 'CAD' });
    expect(parsePrice('€12', 'USD')).toEqual({ value: 12, currency: 'EUR' });
    expect(parsePrice('12 USD', 'EUR')).toEqual({ value: 12, currency: 'USD' });
  });

  test.each([[''], ['Free'], ['Gratuit'], ['--'], ['€'], [null], [undefined]])('%s → undefined', (text) => {
    expect(parsePrice(text)).toBeUndefined();
  });

  test('reads only the start of a huge text', () => {
    expect(parsePrice('x'.repeat(1e6) + '12 €')).toBeUndefined();
    expect(parsePrice('12 €' + '9'.repeat(1e6))).toEqual({ value: 12, currency: 'EUR' });
  });
});
