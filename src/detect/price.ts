/**
 * Currency signs → ISO 4217, the longer first (`CA$` before `A$` before `$`). A bare "$" is the page's currency when
 * it is known (CAD shops write "$" too).
 */
const SIGNS: Record<string, string> = {
  CA$: 'CAD', AU$: 'AUD', C$: 'CAD', A$: 'AUD', R$: 'BRL', $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR',
  '₩': 'KRW', '₽': 'RUB', '₺': 'TRY', zł: 'PLN', Kč: 'CZK', '원': 'KRW', '円': 'JPY', '￥': 'JPY', '元': 'CNY',
};

let codes: string[] | undefined;

/**
 * A price as shops print it, in any common locale: `1 234,50 €`, `1.234,50 €`, `$1,234.50`, `CHF 1'234.50`,
 * `¥1234`, `12,5`. One separator followed by exactly three digits groups thousands (`1.234` is 1234).
 * Returns undefined when the text holds no number.
 */
export function parsePrice(
  text: string | null | undefined,
  fallbackCurrency?: string,
): { value: number; currency?: string } | undefined {
  const s = String(text ?? '').slice(0, 100);
  // Digits, thousands groups (space, no-break and narrow spaces, apostrophe, dot, comma), then decimals.
  const m = s.match(/\d+(?:[\s'’.,]\d{3}(?!\d))*(?:[.,]\d+)?/);
  if (!m) return;
  const n = m[0].replace(/[\s'’]/g, '');
  const seps = n.replace(/\d/g, '');
  const last = seps.slice(-1);
  const d = n.lastIndexOf(last);
  const int = n.slice(0, d).replace(/\D/g, '');
  const frac = n.slice(d + 1);
  const value = !seps
    ? +n
    : seps.length > 1 && !seps.includes(last == '.' ? ',' : '.')
      ? +n.replace(/\D/g, '') // "1,234,567": one kind, repeated → all thousands
      : seps.length < 2 && frac.length == 3 && +int
        ? +(int + frac)
        : +(int + '.' + frac);
  if (!isFinite(value)) return;
  // An ISO code next to the number wins, if this browser knows it is one (so "TTC" or "VAT" are not taken).
  const code = s.replace(/\d/g, ' ').match(/\b[A-Z]{3}\b/)?.[0]; // also glued to the number: EUR110.00
  const sign = Object.keys(SIGNS).find((k) => s.includes(k));
  codes ??= (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('currency') ?? [];
  const currency =
    (code && (codes.length ? codes.includes(code) : !sign) && code) ||
    (sign == '$' && fallbackCurrency) ||
    (sign && SIGNS[sign]) ||
    fallbackCurrency;
  return currency ? { value, currency } : { value };
}
