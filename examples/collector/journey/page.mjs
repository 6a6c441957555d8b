// @ts-check
/**
 * The journey map as one self-contained HTML page: inline CSS and SVG, no script, no external resource, a
 * Content-Security-Policy that allows nothing else. Filters are a plain GET form. Every text that came from
 * events (sites, campaigns, field names) is escaped.
 */
import { createHash } from 'node:crypto';
import { ARRIVALS, STAGES, VITALS } from './vocabulary.mjs';

/** Words a shop owner reads for each touchpoint. Unknown touchpoints show as stored. */
export const TOUCHPOINT_LABELS = /** @type {Record<string, string>} */ ({
  ad: 'Ads', social: 'Social', search: 'Search engines', email: 'Email', referral: 'Referrals', direct: 'Direct',
  home: 'Home page', content: 'Content pages', collection: 'Collections', site_search: 'Site search',
  product_page: 'Product pages', cart: 'Cart', checkout: 'Checkout', payment: 'Payment',
  order_confirmation: 'Order confirmation', account: 'Account', support: 'Support', loyalty: 'Loyalty', review: 'Reviews',
});
const STAGE_LABELS = { awareness: 'Awareness', consideration: 'Consideration', purchase: 'Purchase', retention: 'Retention', advocacy: 'Advocacy' };
const STAGE_SHORT = { awareness: 'Aware', consideration: 'Consid.', purchase: 'Buy', retention: 'Retain', advocacy: 'Advoc.' };
/** One colour per stage, for the flow and the column heads. */
const STAGE_COLOURS = { awareness: '#0284c7', consideration: '#7c3aed', purchase: '#d97706', retention: '#059669', advocacy: '#db2777' };
/** Heat of a map cell, from few sessions to many (log scale); text turns white from level 4. */
const HEAT = ['#eef2ff', '#dbe3fe', '#b9c8fb', '#7f96ef', '#5668da', '#3341ad'];

const CSS = `
:root{--bg:#f4f5f8;--card:#fff;--ink:#161a23;--muted:#667085;--line:#e4e7ec;--accent:#3341ad;--bad:#c2261d;--warn:#b45309;--good:#047857}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;background:var(--bg);color:var(--ink)}
header{background:#151a2d;color:#fff;padding:22px 0 18px}
.wrap{max-width:1220px;margin:0 auto;padding:0 24px}
h1{font-size:24px;margin:0 0 2px;letter-spacing:-.01em}
h2{font-size:17px;margin:0 0 4px}
.sub{color:#b8c0d9;font-size:14px;margin:0}
.lead{color:var(--muted);font-size:13.5px;margin:0 0 14px}
form{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:flex-end;margin-top:16px}
label{display:flex;flex-direction:column;font-size:12px;color:#b8c0d9;gap:3px}
select,input{font:inherit;font-size:14px;padding:6px 8px;border-radius:8px;border:1px solid #39415e;background:#222842;color:#fff;min-width:0}
input[type=date]{color-scheme:dark}
button{font:inherit;font-size:14px;font-weight:600;padding:7px 16px;border-radius:8px;border:0;background:#6d7ff0;color:#fff;cursor:pointer}
form a{color:#b8c0d9;font-size:13px;padding-bottom:8px}
.showing{margin:10px 0 0;font-size:13px;color:#b8c0d9}
.showing b{color:#fff;background:#39415e;border-radius:99px;padding:1px 9px;font-weight:600;margin-right:4px}
.showing a{color:#b8c0d9}
.segments th.group{font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);padding:14px 8px 4px;text-align:left;border-bottom:0}
.segments tbody tr:first-child th.group{padding-top:4px}
.segments td:first-child{white-space:normal}
.segments a{color:var(--accent);font-weight:600;text-decoration:none}
.segments a:hover{text-decoration:underline}
.segments tr.on td{background:#eef2ff}
main.wrap{padding-top:20px;padding-bottom:48px;display:grid;gap:20px}
.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:18px 20px;min-width:0}
.kpis{display:grid;grid-template-columns:repeat(5,minmax(0,1fr)) minmax(0,1.6fr);gap:14px}
@media (max-width:1080px){.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}.kpi.wide{grid-column:1/-1}}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:14px 16px}
.kpi h3{font-size:12.5px;font-weight:600;color:var(--muted);margin:0;text-transform:uppercase;letter-spacing:.04em}
.kpi .big{font-size:30px;font-weight:700;letter-spacing:-.02em;margin:2px 0}
.kpi p{margin:0;font-size:13px;color:var(--muted)}
.kpi.alert{border-color:#f5c2bd;background:#fff8f7}
.kpi.alert .big{color:var(--bad);text-transform:capitalize}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.chip{font-size:12px;background:#eef0f4;border-radius:99px;padding:1px 8px;color:#344054}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:20px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:6px 8px;text-align:right;border-bottom:1px solid var(--line);white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{font-size:12px;color:var(--muted);font-weight:600;white-space:normal;vertical-align:bottom}
td.muted,.muted{color:#98a2b3}
.map{table-layout:fixed;border-collapse:separate;border-spacing:3px}
.map th,.map td{border:0}
.map thead th{text-align:center;color:#fff;border-radius:8px;padding:7px 4px;font-size:12.5px}
.map th.tp{width:170px;text-align:left;font-weight:500;font-size:13.5px;color:var(--ink);padding-left:2px}
.map th.group{font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);padding:10px 2px 2px;text-align:left}
.map td{text-align:center;border-radius:8px;padding:6px 2px;height:46px;line-height:1.15}
.map td b{display:block;font-size:15px}
.map td small{font-size:11.5px;opacity:.8}
.map td.empty{background:#f7f8fa;color:#a9b0bf;font-size:11.5px}
${HEAT.map((c, i) => `.h${i}{background:${c}}`).join('')}
.h4,.h5{color:#fff}
.short{display:none}
.legend{display:flex;align-items:center;gap:6px;font-size:12px;color:var(--muted);margin-top:8px;flex-wrap:wrap}
.legend i{display:inline-block;width:22px;height:12px;border-radius:3px}
${STAGES.map((s) => `.stage-${s}{background:${STAGE_COLOURS[s]}}`).join('')}
.legend i.e{background:#f7f8fa;border:1px solid var(--line)}
svg{display:block;width:100%;height:auto}
.flow-v{display:none}
.moves{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;margin:8px 0 0;padding:0;list-style:none;color:#344054}
.funnel{display:grid;gap:2px}
.step{display:grid;grid-template-columns:150px 1fr 96px;gap:10px;align-items:center;font-size:14px}
.step .n{text-align:right;font-weight:600;font-variant-numeric:tabular-nums}
.bar{height:26px;background:#f0f2f6;border-radius:6px;overflow:hidden}
.bar svg{height:26px}
.drop{margin:0 0 0 160px;font-size:12.5px;color:var(--bad);padding:2px 0 6px}
.drop span{color:var(--muted)}
.drop.none{color:var(--muted)}
.drop.worst{font-weight:600}
.card h2:not(:first-child){margin-top:22px}
.rate{display:inline-block;min-width:64px;padding:1px 6px;border-radius:6px;font-weight:600;text-align:center;font-size:12.5px}
.good{background:#e3f6ee;color:var(--good)}
.ni{background:#fdf1dc;color:var(--warn)}
.poor{background:#fde7e5;color:var(--bad)}
.sm{font-size:11.5px;color:#98a2b3;font-weight:400}
td.up{color:var(--good);font-weight:600}td.down{color:var(--bad);font-weight:600}
.compare td.chance{color:var(--muted)}.compare td.sig{font-weight:600}
.map td.curve{padding:0;height:auto;background:#fafbfc}
.map td.curve svg{height:64px}
.map td.feel{height:auto;padding:4px 2px;font-size:12.5px;background:#fafbfc;white-space:normal}
.map td.feel small{display:block}
.feel .up{color:var(--good)}.feel .down{color:var(--bad)}
.opps{margin:8px 0 0;padding:0;list-style:none;display:grid;gap:10px}
.opps li{display:grid;grid-template-columns:28px minmax(0,1fr);gap:2px 10px;font-size:14px;border-top:1px solid var(--line);padding-top:10px}
.opps li:first-child{border-top:0;padding-top:0}
.opps .rk{grid-row:span 3;font-weight:700;color:var(--accent);font-size:18px}
.opps .stake{font-weight:600;color:var(--bad)}
.opps .stake span,.opps .ev{font-size:12.5px;color:var(--muted);font-weight:400}
.legend i.sat{background:#059669;height:3px}.legend i.fru{background:#c2261d;height:3px}
.error{background:#fde7e5;border:1px solid #f5c2bd;color:var(--bad);border-radius:10px;padding:10px 14px}
footer{color:var(--muted);font-size:12px;text-align:center;padding-bottom:24px}
@media (max-width:700px){
  .wrap{padding:0 12px}
  header{padding:16px 0 14px}
  h1{font-size:20px}
  main.wrap{padding-top:12px;gap:14px}
  .card{padding:14px 12px;border-radius:12px}
  .two{grid-template-columns:1fr;gap:14px}
  .kpis{gap:10px}
  .kpi{padding:10px 12px}
  .kpi .big{font-size:24px}
  form{gap:8px}
  form label{flex:1 1 40%}
  .map{border-spacing:2px}
  .map th.tp{width:80px;font-size:12px;line-height:1.15;white-space:normal}
  .map thead th{font-size:10.5px;padding:6px 0;overflow:hidden}
  .map td{height:40px;padding:4px 1px}
  .map td b{font-size:13px}
  .map td small{font-size:10px}
  .map td.empty{font-size:10px}
  .full{display:none}.short{display:inline}
  .flow-h{display:none}.flow-v{display:block;max-width:420px;margin:0 auto}
  .step{grid-template-columns:98px 1fr 64px;gap:6px;font-size:13px}
  .drop{margin-left:0}
  table{font-size:12.5px}
  th,td{padding:5px 4px}
  .wide-only,.sm.samples,.map td.feel .wide-only{display:none}
  .map td.feel{font-size:11px}
  td .sm.stack{display:block}
  .moves{font-size:12px;gap:2px 12px}
}`;

/** Headers of the page: HTML, and a policy that allows this one style block and nothing else. */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; ` +
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

/** @param {unknown} value */
const esc = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => /** @type {Record<string, string>} */ ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const int = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
/** @param {number | null | undefined} n */
const num = (n) => (n == null ? '–' : int.format(n));
/** "1 session", "2 sessions". @param {number} n @param {string} word */
const count = (n, word) => `${num(n)} ${word}${n == 1 ? '' : 's'}`;
/** @param {number | null | undefined} r */
const pct = (r) => (r == null ? 'no data' : `${(r * 100).toFixed(r > 0 && r < 0.001 ? 2 : 1)}%`);
/** @param {string | null | undefined} t */
const tpLabel = (t) => (t == null || t === '' ? 'Not recorded' : TOUCHPOINT_LABELS[t] || t);
/** A label in full on wide screens, short on phones. @param {string} full @param {string} short */
const both = (full, short) => `<span class="full">${full}</span><span class="short">${short}</span>`;
/** @param {string} s */
const words = (s) => s.replace(/_/g, ' ');
/** @param {number} ms */
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayLong = (/** @type {number} */ ms) =>
  new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * @typedef {object} PageInput
 * @property {ReturnType<typeof import('./queries.mjs').journeyReport> | null} report null when the query was refused
 * @property {ReturnType<typeof import('./queries.mjs').journeySites>} sites
 * @property {import('./compare.mjs').Comparison | null} [comparison] before / after, null without a range
 * @property {string} [error] why the query was refused
 * @property {URLSearchParams} query the request's query, to refill the form
 * @property {number} [tookMs]
 */

/** @param {PageInput} input @returns {string} the whole document */
export function renderJourneyPage({ report, comparison, sites, error, query, tookMs }) {
  const site = report?.filter.site ?? null;
  const known = sites.filter((s) => site == null || s.site == site);
  const first = report?.filter.from ?? Math.min(...known.map((s) => s.first));
  const last = report?.filter.to != null ? report.filter.to - 1 : Math.max(...known.map((s) => s.last));
  const range = Number.isFinite(first) && Number.isFinite(last) ? `${dayLong(first)} – ${dayLong(last)} (UTC)` : 'no sessions yet';
  const money = moneyFormat(report?.totals.currencies ?? []);
  const body = report
    ? [kpiTiles(report, money), opportunityCard(report, money), mapCard(report), segmentsCard(report, query, money), `<div class="two">${funnelCard(report)}${frictionCard(report)}</div>`, acquisitionCard(report, money), compareCard(comparison ?? null)]
    : [`<div class="error">${esc(error)}</div>`];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Customer journey${site ? ' · ' + esc(site) : ''} · parcours</title>
<style>${CSS}</style></head>
<body>
<header><div class="wrap">
<h1>Customer journey${site ? ` <span class="sub">· ${esc(site)}</span>` : ''}</h1>
<p class="sub">${esc(range)}${report ? ` · ${count(report.totals.sessions, 'session')} · ${count(report.totals.events, 'journey event')}` : ''}</p>
${filterForm(sites, query, report)}
${report ? showing(report, query) : ''}
</div></header>
<main class="wrap">
${body.join('\n')}
</main>
<footer>parcours · journey map computed in ${num(tookMs ?? 0)} ms · a session counts in the range it started in</footer>
</body></html>`;
}

/** @param {string[]} currencies */
function moneyFormat(currencies) {
  const format =
    currencies.length == 1 && /^[A-Z]{3}$/.test(currencies[0])
      ? new Intl.NumberFormat('en-US', { style: 'currency', currency: currencies[0], maximumFractionDigits: 0 })
      : new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return (/** @type {number | null | undefined} */ n) => (n == null ? '–' : format.format(n));
}

/** Words for the customer segments (fold.mjs: the lifecycle of the session's first event). */
const CUSTOMER_LABELS = /** @type {Record<string, string>} */ ({ new: 'New customers', returning: 'Returning customers' });
const customerLabel = (/** @type {string | null} */ c) => (c == null ? 'Not recorded' : CUSTOMER_LABELS[c] || c);

/**
 * The query of this page with one filter set (null: removed), as a link to the map of that segment.
 * @param {URLSearchParams} query @param {Record<string, string | null>} changes
 */
function linkWith(query, changes) {
  const next = new URLSearchParams(query);
  for (const [name, value] of Object.entries(changes)) value == null ? next.delete(name) : next.set(name, value);
  return '/journey?' + esc(next.toString());
}

/** The segment the map is narrowed to, in words, with a link back to every session. @param {Report} r @param {URLSearchParams} query */
function showing(r, query) {
  const f = r.filter;
  const parts = [
    f.device && `${f.device[0].toUpperCase()}${f.device.slice(1)}`,
    f.entry && `Arrived from ${tpLabel(f.entry)}`,
    f.campaign && `Campaign ${f.campaign}`,
    f.customer && customerLabel(f.customer),
  ].filter(Boolean);
  if (!parts.length) return '';
  return `<p class="showing" id="showing">Only ${parts.map((p) => `<b>${esc(p)}</b>`).join('')} <a href="${linkWith(query, { device: null, entry: null, campaign: null, customer: null })}">show every session</a></p>`;
}

/** @param {PageInput['sites']} sites @param {URLSearchParams} query @param {Report | null} report */
function filterForm(sites, query, report) {
  const site = query.get('site') || '';
  const device = query.get('device') || 'all';
  const entry = (query.get('entry') || '').toLowerCase();
  const campaign = query.get('campaign') || '';
  const customer = (query.get('customer') || '').toLowerCase();
  // The campaigns of the range (the segments table's, largest first), and the one asked for.
  const campaigns = [...new Set([...(report?.segments.campaigns ?? []).map((c) => /** @type {string} */ (c.key)), ...(campaign ? [campaign] : [])])];
  const option = (/** @type {string} */ value, /** @type {string} */ label, /** @type {string} */ current) =>
    `<option value="${esc(value)}"${value == current ? ' selected' : ''}>${esc(label)}</option>`;
  const json = '/api/journey' + (query.toString() ? '?' + esc(query.toString()) : '');
  return `<form method="get" action="/journey">
<label>Site<select name="site">${option('', 'All sites', site)}${sites.map((s) => option(s.site, s.site || '(no site)', site)).join('')}</select></label>
<label>From<input type="date" name="from" value="${esc(dateValue(query.get('from'), 0))}"></label>
<label>To<input type="date" name="to" value="${esc(dateValue(query.get('to'), 1))}"></label>
<label>Compare since<input type="date" name="compare" value="${esc(query.get('compare') || '')}"></label>
<label>Device<select name="device">${[['all', 'All devices'], ['mobile', 'Mobile'], ['tablet', 'Tablet'], ['desktop', 'Desktop']].map(([v, l]) => option(v, l, device)).join('')}</select></label>
<label>Arrived from<select name="entry">${option('', 'Anywhere', entry)}${[...ARRIVALS, ...(entry && !ARRIVALS.includes(/** @type {any} */ (entry)) ? [entry] : [])].map((t) => option(t, tpLabel(t), entry)).join('')}</select></label>
<label>Campaign<select name="campaign">${option('', 'All campaigns', campaign)}${campaigns.map((c) => option(c, c, campaign)).join('')}</select></label>
<label>Customers<select name="customer">${option('', 'New and returning', customer)}${Object.entries(CUSTOMER_LABELS).map(([v, l]) => option(v, l, customer)).join('')}</select></label>
<button type="submit">Apply</button>
<a href="${json}">JSON</a>
</form>`;
}

/**
 * A date input wants YYYY-MM-DD: epoch ms (the API's style of query) show as their day; an exclusive end as the
 * day before it, since the form's days are inclusive. @param {string | null} v @param {number} exclusive
 */
const dateValue = (v, exclusive) => (v && /^\d{1,15}$/.test(v) ? day(Number(v) - exclusive) : v || '');

/** @typedef {NonNullable<PageInput['report']>} Report */

/** @param {Report} r @param {(n: number | null | undefined) => string} money */
function kpiTiles(r, money) {
  const k = r.kpis;
  const worst = k.worstCheckoutStep;
  const fields = worst?.lastFields?.length
    ? `<div class="chips">${worst.lastFields.map((/** @type {any} */ f) => `<span class="chip">${esc(words(f.field))} · ${num(f.sessions)}</span>`).join('')}</div>`
    : '<p>No field recorded</p>';
  return `<section class="kpis" aria-label="Key figures">
<div class="kpi"><h3>Sessions</h3><div class="big" id="kpi-sessions">${num(r.totals.sessions)}</div>
<p>${count(r.totals.events, 'journey event')}</p></div>
<div class="kpi"><h3>Conversion rate</h3><div class="big" id="kpi-conversion">${pct(k.conversionRate)}</div>
<p>${num(k.sessionsWithOrder)} of ${count(k.sessions, 'session')} ordered</p></div>
<div class="kpi"><h3>Cart abandonment</h3><div class="big" id="kpi-abandonment">${pct(k.cartAbandonmentRate)}</div>
<p>${num(k.sessionsWithCartNoOrder)} of ${count(k.sessionsWithCart, 'session')} with a cart did not order</p></div>
${satisfactionTile(r)}
<div class="kpi"><h3>Orders</h3><div class="big" id="kpi-orders">${num(r.totals.orders)}</div>
<p>${money(r.totals.revenue)} revenue</p></div>
${
  worst
    ? `<div class="kpi alert wide"><h3>Worst checkout step</h3><div class="big" id="kpi-worst-step">${esc(words(worst.step))}</div>
<p>${count(worst.left, 'session')} went no further${worst.leftRate != null ? ` (${pct(worst.leftRate)} of those who got there)` : ''}${worst.priceChanged ? `; ${num(worst.priceChanged)} saw the price change` : ''}. Last touched:</p>${fields}</div>`
    : r.funnel.some((/** @type {any} */ s) => s.step && s.sessions)
      ? `<div class="kpi wide"><h3>Worst checkout step</h3><div class="big" id="kpi-worst-step">no step</div><p>Every session that reached a checkout step went on</p></div>`
      : `<div class="kpi wide"><h3>Worst checkout step</h3><div class="big">no data</div><p>No checkout step recorded in this range</p></div>`
}
</section>`;
}

/**
 * The ranked opportunities: what the data shows, what it may be worth (an estimate, with its formula), what to try.
 * @param {Report} r @param {(n: number | null | undefined) => string} money
 */
function opportunityCard(r, money) {
  const items = r.opportunities ?? [];
  const stake = (/** @type {any} */ o) =>
    `≈ ${o.ordersAtStake} order${o.ordersAtStake == 1 ? '' : 's'}${o.revenueAtStake != null ? ` / ${money(o.revenueAtStake)}` : ''} at stake`;
  return `<section class="card" aria-labelledby="opp-title">
<h2 id="opp-title">Opportunities</h2>
<p class="lead">Highest impact first. Orders at stake are an estimate: had these sessions ordered like comparable ones, how many more orders there would have been.</p>
${
  items.length
    ? `<ol class="opps">${items
        .map(
          (/** @type {any} */ o) => `<li><span class="rk">${o.rank}</span><span>${esc(o.suggestion)}</span>
<span class="ev">${esc(o.evidence)}${o.test?.significant ? '' : ' (within chance at 95 %)'}</span>
<span class="stake">${stake(o)} <span>(estimate: ${esc(o.formula)})</span></span></li>`,
        )
        .join('\n')}</ol>`
    : '<p class="muted" id="opp-none">No opportunity found in this range</p>'
}
</section>`;
}

/** @param {Report} r */
function mapCard(r) {
  const { rows, stages } = r.map;
  const max = Math.max(1, ...rows.flatMap((row) => row.cells.map((c) => c?.sessions ?? 0)));
  const heat = (/** @type {number} */ n) => Math.min(HEAT.length - 1, Math.floor((Math.log1p(n) / Math.log1p(max)) * (HEAT.length - 0.01)));
  const line = (/** @type {typeof rows[number]} */ row) =>
    `<tr><th class="tp" scope="row">${esc(tpLabel(row.touchpoint))}</th>${row.cells
      .map((c, i) => {
        const where = `${STAGE_LABELS[STAGES[i]]} × ${tpLabel(row.touchpoint)}`;
        return c
          ? `<td class="h${heat(c.sessions)}" title="${esc(where)}: ${count(c.sessions, 'session')}, ${count(c.events, 'event')}"><b>${compact.format(c.sessions)}</b><small>${compact.format(c.events)} ev.</small></td>`
          : `<td class="empty" title="${esc(where)}: no data">no data</td>`;
      })
      .join('')}</tr>`;
  const arrivals = rows.filter((row) => ARRIVALS.includes(/** @type {any} */ (row.touchpoint)));
  const onSite = rows.filter((row) => !ARRIVALS.includes(/** @type {any} */ (row.touchpoint)));
  const group = (/** @type {string} */ title) => `<tr><th class="group" colspan="6">${title}</th></tr>`;
  const moves = r.map.transitions;
  return `<section class="card" aria-labelledby="map-title">
<h2 id="map-title">Journey map</h2>
<p class="lead">How sessions move between the five stages (arrows above go forward, dashed ones below go back; width = sessions), then where each stage happens. A session counts once per cell; events are journey events, signals such as web vitals excluded.</p>
${flowSvg(stages, moves, 'h')}${flowSvg(stages, moves, 'v')}
${moves.length ? `<ul class="moves">${moves.slice(0, 8).map((m) => `<li>${STAGE_LABELS[/** @type {keyof STAGE_LABELS} */ (m.from)]} → ${STAGE_LABELS[/** @type {keyof STAGE_LABELS} */ (m.to)]}: <b>${num(m.sessions)}</b></li>`).join('')}</ul>` : '<p class="muted">No session moved between stages in this range.</p>'}
<div class="scroll"><table class="map" id="journey-grid">
<colgroup><col class="tpcol">${stages.map(() => '<col>').join('')}</colgroup>
<thead><tr><th class="tp"></th>${stages
    .map((s) => `<th scope="col" class="stage-${s.stage}"><span class="full">${STAGE_LABELS[/** @type {keyof STAGE_LABELS} */ (s.stage)]}</span><span class="short">${STAGE_SHORT[/** @type {keyof STAGE_SHORT} */ (s.stage)]}</span></th>`)
    .join('')}</tr></thead>
<tbody>${group('How they arrived')}${arrivals.map(line).join('')}${group('On the site')}${onSite.map(line).join('')}</tbody>
</table></div>
${emotionTable(r)}
<div class="legend">Sessions: <i class="h0"></i>fewer ${HEAT.slice(1).map((_, i) => `<i class="h${i + 1}"></i>`).join('')} more · <i class="e"></i> no data: no session there · <i class="sat"></i> satisfied (CSAT: share of 4–5 answers) <i class="fru"></i> frustrated (sessions with a rage or dead click, form or JS error, or abandoned checkout at that stage)</div>
${questionTable(r)}
</section>`;
}

/**
 * The stages as nodes and the moves between them as arcs: horizontal for wide screens, vertical for phones
 * (CSS shows one). Colours and widths are SVG attributes, which the page's CSP allows, not style.
 * @param {Report['map']['stages']} stages @param {Report['map']['transitions']} moves @param {'h' | 'v'} dir
 */
function flowSvg(stages, moves, dir) {
  const h = dir == 'h';
  const max = Math.max(1, ...moves.map((m) => m.sessions));
  const index = (/** @type {string} */ s) => STAGES.indexOf(/** @type {any} */ (s));
  // Moves under 1 % of the largest would be hairlines: the list under the drawing gives every figure.
  const drawn = moves.filter((m) => m.sessions >= max * 0.01 && index(m.from) >= 0 && index(m.to) >= 0);
  const reach = (/** @type {boolean} */ forward) =>
    Math.max(0, ...drawn.filter((m) => index(m.to) > index(m.from) == forward).map((m) => Math.abs(index(m.to) - index(m.from))));
  const bend = (/** @type {number} */ span) => (h ? 24 + 40 * span : 22 + 20 * span); // control point distance
  const [nw, nh] = h ? [156, 72] : [190, 62];
  // Room for the arcs on each side: a quadratic curve reaches half way to its control point, plus its label.
  const before = (reach(true) ? bend(reach(true)) / 2 + 26 : 0) + 12;
  const after = (reach(false) ? bend(reach(false)) / 2 + 26 : 0) + 12;
  const W = h ? 1000 : 390;
  const H = h ? before + nh + after : 40 + 117 * (STAGES.length - 1) + nh;
  const at = (/** @type {number} */ i) => (h ? { x: 100 + 200 * i, y: before + nh / 2 } : { x: 195, y: 20 + nh / 2 + 117 * i });
  const defs = [...STAGES.map((s) => [s, STAGE_COLOURS[s]]), ['back', '#98a2b3']]
    .map(([id, colour]) => `<marker id="a-${dir}-${id}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${colour}"/></marker>`)
    .join('');
  const name = (/** @type {string} */ s) => STAGE_LABELS[/** @type {keyof STAGE_LABELS} */ (s)];
  // Smaller moves first, so the big bands are drawn on top.
  const arcs = [...drawn].sort((a, b) => a.sessions - b.sessions).map((m) => {
    const i = index(m.from), j = index(m.to);
    const forward = j > i, span = Math.abs(j - i), a = at(i), b = at(j);
    const width = 1.5 + 15 * Math.sqrt(m.sessions / max);
    const colour = forward ? STAGE_COLOURS[/** @type {keyof STAGE_COLOURS} */ (m.from)] : '#98a2b3';
    const side = forward ? -1 : 1; // horizontal: forward above, back below; vertical: forward right, back left
    let d, lx, ly;
    if (h) {
      const off = 10 + 12 * span;
      const y = a.y + (side * nh) / 2, x0 = a.x + (forward ? off : -off), x1 = b.x + (forward ? -off : off);
      const cy = y + side * bend(span);
      d = `M${x0} ${y}Q${(x0 + x1) / 2} ${cy} ${x1} ${y}`;
      lx = (x0 + x1) / 2;
      ly = (y + cy) / 2 + (forward ? -width / 2 - 5 : width / 2 + 15);
    } else {
      const off = 8 + 7 * span, s = -side;
      const x = a.x + (s * nw) / 2, y0 = a.y + (forward ? off : -off), y1 = b.y + (forward ? -off : off);
      const cx = x + s * bend(span);
      d = `M${x} ${y0}Q${cx} ${(y0 + y1) / 2} ${x} ${y1}`;
      lx = (x + cx) / 2 + s * (width / 2 + 5);
      ly = (y0 + y1) / 2 + 4;
    }
    const label = m.sessions >= max * 0.02
      ? `<text x="${lx}" y="${ly}" text-anchor="${h ? 'middle' : forward ? 'start' : 'end'}" font-size="${h ? 14 : 12}" font-weight="600" fill="${forward ? colour : '#667085'}" stroke="#fff" stroke-width="4" paint-order="stroke">${compact.format(m.sessions)}</text>`
      : '';
    return `<g><title>${esc(`${name(m.from)} → ${name(m.to)}: ${count(m.sessions, 'session')}`)}</title><path d="${d}" fill="none" stroke="${colour}" stroke-width="${width.toFixed(1)}" stroke-opacity="${forward ? 0.55 : 0.5}"${forward ? '' : ' stroke-dasharray="6 5"'} stroke-linecap="round" marker-end="url(#a-${dir}-${forward ? m.from : 'back'})"/>${label}</g>`;
  });
  const nodes = stages.map((s, i) => {
    const { x, y } = at(i);
    return `<g><rect x="${x - nw / 2}" y="${y - nh / 2}" width="${nw}" height="${nh}" rx="12" fill="${STAGE_COLOURS[/** @type {keyof STAGE_COLOURS} */ (s.stage)]}"/>` +
      `<text x="${x}" y="${y - 6}" text-anchor="middle" font-size="${h ? 16 : 15}" font-weight="700" fill="#fff">${name(s.stage)}</text>` +
      `<text x="${x}" y="${y + 16}" text-anchor="middle" font-size="13" fill="#fff" fill-opacity=".9">${s.sessions ? count(s.sessions, 'session') : 'no data'}</text></g>`;
  });
  return `<svg class="flow-${dir}" viewBox="0 0 ${W} ${Math.round(H)}" role="img" aria-label="Sessions moving between journey stages" font-family="system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif"><defs>${defs}</defs>${arcs.join('')}${nodes.join('')}</svg>`;
}

/** @param {Report} r */
function funnelCard(r) {
  const top = Math.max(1, ...r.funnel.map((s) => s.sessions ?? 0));
  const rows = r.funnel.map((s, i) => {
    const bar = s.sessions != null
      ? `<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect width="${((100 * s.sessions) / top).toFixed(2)}" height="10" fill="${s.key == 'order_completed' ? '#059669' : '#5668da'}"/></svg>`
      : '';
    const row = `<div class="step" data-step="${esc(s.key)}"><span>${esc(s.label)}</span><div class="bar">${bar}</div><span class="n">${s.sessions != null ? num(s.sessions) : '<span class="muted">no data</span>'}</span></div>`;
    const next = r.funnel.slice(i + 1).find((n) => n.sessions != null);
    if (!next || s.sessions == null) return row;
    const fields = /** @type {any} */ (s).lastFields?.length
      ? ` <span>· last touched: ${/** @type {any} */ (s).lastFields.slice(0, 3).map((/** @type {any} */ f) => `${esc(words(f.field))} (${num(f.sessions)})`).join(', ')}</span>`
      : '';
    const drop = next.dropOff ?? 0;
    const worst = s.step != null && s.step == r.kpis.worstCheckoutStep?.step;
    return row + `<div class="drop${drop ? '' : ' none'}${worst ? ' worst' : ''}">↓ ${drop ? `${pct(next.dropOffRate)} did not go on (${count(drop, 'session')})` : 'everyone went on'}${fields}</div>`;
  });
  const skipped = r.funnel.filter((s) => s.sessions == null).map((s) => esc(s.label));
  return `<section class="card" aria-labelledby="funnel-title">
<h2 id="funnel-title">Funnel</h2>
<p class="lead">Sessions that reached each step or a later one.${skipped.length ? ` Steps without any event (no data): ${skipped.join(', ')}.` : ''}</p>
<div class="funnel" id="funnel">${rows.join('')}</div>
</section>`;
}

/** @param {Report} r */
function frictionCard(r) {
  const rows = r.frictions.touchpoints.filter((f) => f.rageClicks + f.deadClicks + f.formErrors + f.jsErrors > 0);
  const cell = (/** @type {number} */ n) => (n ? `<td>${num(n)}</td>` : '<td class="muted">0</td>');
  const frictions = rows.length
    ? `<div class="scroll"><table id="frictions"><thead><tr><th>Touchpoint</th><th>Rage clicks</th><th>Dead clicks</th><th>Form errors</th><th>JS errors</th></tr></thead><tbody>${rows
        .map((f) => `<tr><td>${esc(tpLabel(f.touchpoint))}</td>${cell(f.rageClicks)}${cell(f.deadClicks)}${cell(f.formErrors)}${cell(f.jsErrors)}</tr>`)
        .join('')}</tbody></table></div>`
    : '<p class="muted">No rage clicks, dead clicks, form or JS errors recorded.</p>';
  const names = /** @type {Array<keyof typeof VITALS>} */ (Object.keys(VITALS));
  const vital = (/** @type {keyof typeof VITALS} */ name, /** @type {{ p75: number, samples: number } | null} */ v) => {
    if (!v) return '<td class="muted">no data</td>';
    const t = VITALS[name];
    const rating = v.p75 <= t.good ? 'good' : v.p75 <= t.poor ? 'ni' : 'poor';
    const text = t.unit == 'ms' ? (v.p75 >= 1000 ? `${(v.p75 / 1000).toFixed(2)} s` : `${Math.round(v.p75)} ms`) : v.p75.toFixed(3);
    return `<td><span class="rate ${rating}">${text}</span> <span class="sm samples">${compact.format(v.samples)}</span></td>`;
  };
  const vitals = r.frictions.vitals.length
    ? `<div class="scroll"><table id="vitals"><thead><tr><th>Page type</th>${names.map((n) => `<th>${n} p75</th>`).join('')}</tr></thead><tbody>${r.frictions.vitals
        .map((v) => `<tr><td>${esc(words(v.pageType))}</td>${names.map((n) => vital(n, /** @type {any} */ (v)[n])).join('')}</tr>`)
        .join('')}</tbody></table></div>`
    : '<p class="muted">No web vitals recorded.</p>';
  return `<section class="card" aria-labelledby="friction-title">
<h2 id="friction-title">Frictions</h2>
<p class="lead">Where customers struggle, by touchpoint.</p>
${frictions}
<h2>Page speed</h2>
<p class="lead">75th percentile per page type, small figures are samples${r.frictions.vitalsScope == 'device' ? ', <b id="vitals-scope">for every visitor of the range and device</b> (page speed is not kept per arrival, campaign or customer)' : ''}. Rated with the web.dev thresholds: <span class="rate good">good</span> <span class="rate ni">needs work</span> <span class="rate poor">poor</span></p>
${vitals}
</section>`;
}

/** @param {Report} r @param {(n: number | null | undefined) => string} money */
function acquisitionCard(r, money) {
  const a = r.acquisition;
  const most = Math.max(1, ...a.entries.map((e) => e.sessions));
  const spark = (/** @type {number} */ n) => `<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" width="80" height="8"><rect width="${((100 * n) / most).toFixed(2)}" height="10" rx="2" fill="#7f96ef"/></svg>`;
  const entries = a.entries.length
    ? `<table id="entries"><thead><tr><th>Arrived from</th><th class="wide-only"></th><th>Sessions</th><th>Orders</th><th>${both('Conversion', 'Conv.')}</th><th>Revenue</th></tr></thead><tbody>${a.entries
        .map((e) => `<tr><td>${esc(tpLabel(e.touchpoint))}</td><td class="wide-only">${spark(e.sessions)}</td><td>${num(e.sessions)}</td><td>${num(e.orders)}</td><td>${pct(e.conversionRate)}</td><td>${money(e.revenue)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">No sessions in this range.</p>';
  const campaigns = a.campaigns.length
    ? `<table id="campaigns"><thead><tr><th>Campaign</th><th>Sessions</th><th>Orders</th><th>${both('Conversion', 'Conv.')}</th></tr></thead><tbody>${a.campaigns
        .map((c) => `<tr><td>${esc(c.campaign)} <span class="sm stack">via ${esc(tpLabel(c.touchpoint))}</span></td><td>${num(c.sessions)}</td><td>${num(c.orders)}</td><td>${pct(c.conversionRate)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">No campaign-tagged arrivals.</p>';
  const touches = a.attribution.length
    ? `<table id="attribution"><thead><tr><th>Touchpoint</th><th>First touch</th><th>Last touch</th><th>${both('Difference', 'Diff.')}</th></tr></thead><tbody>${a.attribution
        .map((t) => {
          const diff = t.lastTouchOrders - t.firstTouchOrders;
          return `<tr><td>${esc(tpLabel(t.touchpoint))}</td><td>${num(t.firstTouchOrders)} <span class="sm stack">orders · ${money(t.firstTouchRevenue)}</span></td><td>${num(t.lastTouchOrders)} <span class="sm stack">orders · ${money(t.lastTouchRevenue)}</span></td><td class="${diff > 0 ? 'up' : diff < 0 ? 'down' : 'muted'}">${diff > 0 ? '+' : ''}${num(diff)}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : '<p class="muted">No orders in this range.</p>';
  return `<section class="card" aria-labelledby="acq-title">
<h2 id="acq-title">Acquisition</h2>
<p class="lead">Where sessions came from and which ones ordered.</p>
<div class="two"><div class="scroll">${entries}</div><div class="scroll">${campaigns}</div></div>
<h2>First touch or last touch?</h2>
<p class="lead">Orders credited to the channel that first brought the customer, and to the last one before the order (a direct visit does not replace a channel).</p>
<div class="scroll">${touches}</div>
</section>`;
}

/**
 * Segments side by side: per entry touchpoint, new or returning customer and campaign, the key figures of its
 * sessions; each links to the map of that segment alone.
 * @param {Report} r @param {URLSearchParams} query @param {(n: number | null | undefined) => string} money
 */
function segmentsCard(r, query, money) {
  const s = r.segments;
  /** @param {string} title @param {string} name @param {typeof s.entries} rows @param {(key: string | null) => string} label */
  const group = (title, name, rows, label) => {
    if (!rows.length) return '';
    const current = /** @type {any} */ (r.filter)[name];
    const line = (/** @type {typeof rows[number]} */ row) => {
      const text = esc(label(row.key));
      const on = row.key != null && row.key === current;
      const link = row.key == null || on ? text : `<a href="${linkWith(query, { [name]: row.key })}">${text}</a>`;
      return `<tr${on ? ' class="on"' : ''} data-segment="${esc(name)}" data-key="${esc(row.key ?? '')}"><td>${link}</td><td>${num(row.sessions)}</td><td>${pct(row.conversionRate)}</td><td>${pct(row.cartAbandonmentRate)}</td><td>${row.answers ? `${pct(row.csat)} <span class="sm samples">${compact.format(row.answers)}</span>` : '<span class="muted">no ratings</span>'}</td><td>${money(row.revenue)}</td></tr>`;
    };
    return `<tr><th class="group" colspan="6" scope="rowgroup">${title}</th></tr>${rows.map(line).join('')}`;
  };
  const body = [
    group('Arrived from', 'entry', s.entries, tpLabel),
    group('Customers', 'customer', s.customers, customerLabel),
    group('Campaigns', 'campaign', s.campaigns, (c) => c ?? ''),
  ].join('');
  return `<section class="card" aria-labelledby="segments-title">
<h2 id="segments-title">Segments</h2>
<p class="lead">How each kind of visitor did in this range: conversion, cart abandonment, satisfaction (share of 4–5 ratings; small figures are answers) and revenue. Select one to see the whole map for it alone.</p>
${body ? `<div class="scroll"><table class="segments" id="segments"><thead><tr><th>Segment</th><th>Sessions</th><th>${both('Conversion', 'Conv.')}</th><th>${both('Cart abandonment', 'Cart aband.')}</th><th>${both('Satisfaction', 'CSAT')}</th><th>Revenue</th></tr></thead><tbody>${body}</tbody></table></div>` : '<p class="muted">No sessions in this range.</p>'}
</section>`;
}

/**
 * Before / after: each rate in both ranges, the change, and whether it is larger than chance.
 * @param {PageInput['comparison'] | null} c
 */
function compareCard(c) {
  if (!c) {
    return `<section class="card" aria-labelledby="compare-title">
<h2 id="compare-title">Before / after</h2>
<p class="lead">Choose a date range (From and To), or a day in "Compare since", to compare it with the same number of days before.</p>
</section>`;
  }
  const span = (/** @type {{ from: number | null, to: number | null }} */ r) =>
    r.from != null && r.to != null ? `${dayLong(r.from)} – ${dayLong(r.to - 1)}` : '';
  const points = (/** @type {number | null} */ d) => (d == null ? '–' : `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d * 100).toFixed(1)} pt`);
  // Up is good for every rate but cart abandonment.
  const better = (/** @type {any} */ row) => (row.key == 'cart_abandonment' ? -row.change : row.change);
  const rows = c.rates
    .filter((row) => row.before.of > 0 || row.after.of > 0)
    .map((row) => {
      const verdict = row.p == null
        ? '<td class="chance">no data</td>'
        : row.significant
          ? `<td class="sig ${better(row) > 0 ? 'up' : 'down'}">${better(row) > 0 ? 'better' : 'worse'}, beyond chance <span class="sm">p ${row.p < 0.001 ? '< 0.001' : '= ' + row.p.toFixed(3)}</span></td>`
          : `<td class="chance">could be chance <span class="sm">p = ${row.p.toFixed(2)}</span></td>`;
      return `<tr data-key="${esc(row.key)}"><td>${esc(row.label)}</td><td>${pct(row.before.rate)} <span class="sm stack">${num(row.before.count)} / ${num(row.before.of)}</span></td><td>${pct(row.after.rate)} <span class="sm stack">${num(row.after.count)} / ${num(row.after.of)}</span></td><td>${points(row.change)}</td>${verdict}</tr>`;
    });
  return `<section class="card" aria-labelledby="compare-title">
<h2 id="compare-title">Before / after</h2>
<p class="lead">${c.since != null ? `Since ${dayLong(c.since)}` : 'This range'} (${esc(span(c.after))}) against the same number of days before (${esc(span(c.before))}). Funnel steps are shares of all sessions, satisfaction of the answers, the response rate of the times the prompt was shown. A change marked “could be chance” is within what random variation gives (two-proportion test, 95 %): do not act on it; wait for more sessions.</p>
<div class="scroll"><table class="compare" id="compare"><thead><tr><th>Measure</th><th>Before</th><th>After</th><th>Change</th><th>Larger than chance?</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>
</section>`;
}

/** The prompt's answers and times shown, over every question it asked. @param {Report} r */
const promptFigures = (r) => {
  const qs = r.satisfaction.questions;
  const shown = qs.reduce((n, q) => n + q.shown, 0);
  const answered = qs.reduce((n, q) => n + Math.min(q.prompted, q.shown), 0);
  return { shown, answered, rate: shown ? answered / shown : null };
};

/** Satisfaction: CSAT of every answer in the range, the prompt's response rate, and per touchpoint. @param {Report} r */
function satisfactionTile(r) {
  const s = r.satisfaction;
  const prompt = promptFigures(r);
  const chips = s.touchpoints.length
    ? `<div class="chips">${s.touchpoints.slice(0, 4).map((t) => `<span class="chip">${esc(tpLabel(t.touchpoint))} ${pct(t.csat)} · ${num(t.n)}</span>`).join('')}</div>`
    : '';
  return `<div class="kpi"><h3>Satisfaction</h3><div class="big" id="kpi-satisfaction">${pct(s.csat)}</div>
<p>${s.n ? `${num(s.satisfied)} of ${count(s.n, 'answer')} rated 4 or 5` : 'No ratings in this range'}</p>${
    prompt.shown ? `<p id="kpi-response">Prompt answered <b>${pct(prompt.rate)}</b> of ${count(prompt.shown, 'time')} shown</p>` : ''
  }${chips}</div>`;
}

/** Words a shop owner reads for each question; others show as stored. */
const QUESTION_LABELS = /** @type {Record<string, string>} */ ({ checkout: 'Checkout', delivery: 'Delivery', product: 'Product', support: 'Support' });

/**
 * CSAT per question (what was asked: checkout, delivery, product, support), with the prompt's response rate where
 * the prompt asked it. @param {Report} r
 */
function questionTable(r) {
  const qs = r.satisfaction.questions;
  if (!qs.length) return '<p class="muted" id="questions-none">No ratings per question in this range.</p>';
  const rows = qs.map((q) => {
    const rating = q.csat == null ? '' : q.csat >= 0.8 ? 'good' : q.csat >= 0.6 ? 'ni' : 'poor';
    return `<tr data-question="${esc(q.question)}"><td>${esc(QUESTION_LABELS[q.question] || words(q.question))}</td>` +
      `<td>${q.csat == null ? '<span class="muted">no data</span>' : `<span class="rate ${rating}">${pct(q.csat)}</span>`} <span class="sm stack">${count(q.n, 'answer')}</span></td>` +
      `<td>${q.shown ? `${pct(q.responseRate)} <span class="sm stack">${num(Math.min(q.prompted, q.shown))} of ${num(q.shown)} shown${q.dismissed ? `, ${num(q.dismissed)} closed` : ''}</span>` : '<span class="muted" title="not asked by the prompt">–</span>'}</td></tr>`;
  });
  return `<h2 id="questions-title">Satisfaction by question</h2>
<p class="lead">CSAT (share of 4–5 answers) per question asked: from the prompt, email rating links, your own forms; review stars count as product. Response rate: answers to the prompt per time it was shown (– where the prompt did not ask).</p>
<div class="scroll"><table id="questions"><thead><tr><th>Question</th><th>CSAT</th><th>Response rate</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * The emotion line under the five stages: satisfaction (CSAT) and frustration (share of the stage's sessions
 * with a friction signal) as curves over the stage columns, their figures in the row below; gaps where no data.
 * The SVG stretches to the columns (preserveAspectRatio none): strokes keep their width, dots are round caps.
 * @param {Report} r
 */
function emotionTable(r) {
  const points = r.emotions;
  const x = (/** @type {number} */ i) => 50 + i * 100;
  const y = (/** @type {number} */ v) => (6 + (1 - v) * 52).toFixed(1);
  const curve = (/** @type {(p: typeof points[number]) => number | null} */ of, /** @type {string} */ colour, /** @type {string} */ dash) => {
    const segments = [];
    /** @type {string[]} */
    let run = [];
    points.forEach((p, i) => {
      const v = of(p);
      if (v == null) {
        if (run.length) segments.push(run), (run = []);
      } else run.push(`${x(i)} ${y(v)}`);
    });
    if (run.length) segments.push(run);
    const common = `fill="none" stroke="${colour}" vector-effect="non-scaling-stroke"`;
    return segments
      .map((seg) => `<path d="M${seg.join(' L')}" ${common} stroke-width="2.5"${dash}/>` + seg.map((pt) => `<path d="M${pt} h0" ${common} stroke-width="9" stroke-linecap="round"/>`).join(''))
      .join('');
  };
  const grid = [0, 0.5, 1].map((v) => `<path d="M0 ${y(v)} H500" stroke="#e4e7ec" vector-effect="non-scaling-stroke"/>`).join('');
  const any = points.some((p) => p.satisfaction != null || p.frustration != null);
  const svg = `<svg viewBox="0 0 500 64" preserveAspectRatio="none" role="img" aria-label="Emotion line: ${esc(points.map((p) => `${STAGE_LABELS[p.stage]}: ${p.label}`).join('; '))}">${grid}${curve((p) => p.satisfaction, '#059669', '')}${curve((p) => p.frustration, '#c2261d', ' stroke-dasharray="5 4"')}</svg>`;
  const cell = (/** @type {typeof points[number]} */ p) =>
    p.satisfaction == null && p.frustration == null
      ? '<td class="feel empty">no data</td>'
      : `<td class="feel" title="${esc(p.label)}">${p.satisfaction != null ? `<b class="up">${pct(p.satisfaction)}</b><small>CSAT<span class="wide-only"> · ${count(p.answers, 'answer')}</span></small>` : '<small class="muted">no ratings</small>'}${p.frustration != null ? `<small class="down">${pct(p.frustration)}<span class="wide-only"> frustrated</span></small><small class="wide-only">${num(p.frustrated)} of ${num(p.sessions)}</small>` : ''}</td>`;
  return `<div class="scroll"><table class="map" id="emotion-grid" aria-label="Emotion line per stage">
<colgroup><col class="tpcol">${points.map(() => '<col>').join('')}</colgroup>
<tbody><tr><th class="group" colspan="6">How they felt</th></tr>
<tr id="emotion-line"><th class="tp" scope="row">Emotion line</th>${any ? `<td class="curve" colspan="5">${svg}</td>` : '<td class="feel empty" colspan="5">no data: no ratings and no sessions</td>'}</tr>
<tr id="emotion-figures"><th class="tp" scope="row">Satisfied · frustrated</th>${points.map(cell).join('')}</tr></tbody>
</table></div>`;
}
