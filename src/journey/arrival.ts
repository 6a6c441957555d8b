import type { Touchpoint } from '../types';

/** The touchpoints that say how a session arrived. */
export type ArrivalTouchpoint = Extract<Touchpoint, 'ad' | 'social' | 'search' | 'email' | 'referral' | 'direct'>;

/** How a session entered the shop. Only the five utm values are copied from the URL, nothing else. */
export interface Arrival {
  touchpoint: ArrivalTouchpoint;
  /** `utm_source`, else the external referrer's host without `www.`. */
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
  /** The name of the click id parameter found (`gclid`, …), never its value: the value identifies one person's click. */
  clickId?: string;
}

/** Characters kept of each utm value (after trimming). */
export const MAX_UTM_LENGTH = 100;

/** Touchpoint → space-separated entries, compared ignoring case; `*` matches anything. */
export type ArrivalTable = Readonly<Partial<Record<ArrivalTouchpoint, string>>>;

/**
 * Click id parameters ad platforms add to landing URLs: Google Ads (gclid; gbraid/wbraid since iOS ATT), Google
 * Display & Video 360 (dclid), Microsoft, TikTok, X, LinkedIn, Pinterest (epik), Snapchat, Yandex, Meta (fbclid).
 * `fbclid` is social, not ad: Meta adds it to every outbound link, organic posts and shares too, so a Meta ad is
 * recognised by its paid `utm_medium` instead.
 */
export const CLICK_IDS: ArrivalTable = {
  ad: 'gclid gbraid wbraid dclid msclkid ttclid twclid li_fat_id epik sccid yclid',
  social: 'fbclid',
};

/** `utm_medium` → touchpoint, first row first. Close to GA4's default channel groups. */
export const MEDIUMS: ArrivalTable = {
  ad: 'cp* ppc paid* display banner ad ads retargeting', // cp*: cpc, cpm, cpv, cpa
  social: 'social* sm',
  email: 'e*mail* newsletter*', // email, e-mail, e_mail, email_campaign
  search: 'organic',
  referral: 'referral affiliate*',
};

/** `utm_source` → touchpoint, for links without `utm_medium`: email platforms put their name in the source. */
export const SOURCES: ArrivalTable = {
  email: 'klaviyo* mailchimp* brevo* sendinblue* omnisend* mailerlite* mailjet* activecampaign*',
};

/**
 * Referrer host → touchpoint, first row first. An entry matches the host and its subdomains (the `l.`, `m.`,
 * `lm.` link shims of mobile apps too); `*` matches any country domain. Webmail comes before search so that
 * mail.google.com is no Google search. Android apps refer as `android-app://<package>`, whose host is the package:
 * Gmail's is com.google.android.gm, the Google app's (com.google.android.googlequicksearchbox) matches `google.*`.
 */
export const REFERRERS: ArrivalTable = {
  email: 'mail.google.com com.google.android.gm mail.yahoo.com outlook.* mail.proton.me',
  search:
    'google.* bing.com duckduckgo.com search.yahoo.com yahoo.co.jp ecosia.org qwant.com baidu.com yandex.* ya.ru ' +
    'startpage.com search.brave.com search.naver.com seznam.cz kagi.com',
  social:
    'facebook.com fb.com fb.me messenger.com instagram.com threads.* t.co x.com twitter.com linkedin.com lnkd.in ' +
    'pinterest.* pin.it tiktok.com youtube.com youtu.be reddit.com snapchat.com whatsapp.com wa.me telegram.org ' +
    't.me vk.com discord.com bsky.app',
};

/**
 * Referrers that belong to the shop's own checkout: coming back from a payment page is the same visit, not a
 * new referral (which would take the last touch from the ad that brought the order). 3-D Secure pages of banks
 * cannot be listed: pass their hosts, or a checkout on another domain, to `classifyArrival`.
 */
export const CHECKOUT_REFERRERS = 'paypal.* stripe.com klarna.* adyen.com mollie.com checkout.shopify.com shop.app';

// Whether an entry of `list` matches `value`; with `subdomains`, `*.entry` matches too.
const matches = (list: string, value = '', subdomains?: 1) =>
  list.split(' ').some((entry) =>
    RegExp((subdomains ? '(^|\\.)' : '^') + entry.replace(/\./g, '\\.').replace(/\*/g, '.*') + '$', 'i').test(value),
  );
// The first touchpoint of `table` with an entry matching `value`.
const find = (table: ArrivalTable, value?: string, subdomains?: 1) =>
  (Object.keys(table) as ArrivalTouchpoint[]).find((touchpoint) => matches(table[touchpoint]!, value, subdomains));
const bare = (host: string) => host.replace(/^www\./, '');
const UTM = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * How the session arrived at `url` from `referrer` (`document.referrer`), or undefined for navigation inside
 * the site (same host ignoring `www.`, or a host of `internal`, space-separated) without utm or click id.
 * Precedence: paid medium › click id › other mediums › email platform source (no medium) › referrer host ›
 * tagged link (referral) › direct.
 */
export function classifyArrival(url: URL, referrer: string, internal = CHECKOUT_REFERRERS): Arrival | undefined {
  const query = url.searchParams;
  const arrival: Arrival = { touchpoint: 'direct' };
  for (const key of UTM) {
    const value = query.get('utm_' + key)?.trim().slice(0, MAX_UTM_LENGTH);
    if (value) arrival[key] = value;
  }
  const clickId = [...query.keys()].find((key) => find(CLICK_IDS, key));
  const tagged = clickId || UTM.some((key) => arrival[key]);
  let host = '';
  try {
    host = new URL(referrer).hostname; // '' for an empty, "about:blank" or malformed referrer: none
  } catch {}
  if (host && (bare(host) == bare(url.hostname) || matches(internal, host, 1))) {
    if (!tagged) return;
    host = '';
  }
  const medium = find(MEDIUMS, arrival.medium);
  arrival.touchpoint =
    (medium == 'ad' && medium) ||
    find(CLICK_IDS, clickId) ||
    medium ||
    (!arrival.medium && find(SOURCES, arrival.source)) ||
    (host && (find(REFERRERS, host, 1) || 'referral')) ||
    (tagged ? 'referral' : 'direct');
  if (clickId) arrival.clickId = clickId;
  if (host && !arrival.source) arrival.source = bare(host);
  return arrival;
}
