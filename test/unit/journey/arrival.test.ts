import { describe, expect, it } from 'vitest';
import { MAX_UTM_LENGTH, classifyArrival } from '../../../src/journey/arrival';

const SHOP = 'https://shop.example/products/mug';
const arrive = (query = '', referrer = '') => classifyArrival(new URL(SHOP + query), referrer);
const touchpointOf = (query: string, referrer = '') => arrive(query, referrer)?.touchpoint;

describe('ad click ids mark an ad arrival', () => {
  const ids = ['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'ttclid', 'twclid', 'li_fat_id', 'epik', 'sccid', 'yclid'];
  it.each(ids)('%s is an ad, with or without a referrer', (id) => {
    expect(arrive(`?${id}=Cj0KCQ123`)).toEqual({ touchpoint: 'ad', clickId: id });
    expect(arrive(`?${id}=Cj0KCQ123`, 'https://www.google.com/')?.touchpoint).toBe('ad');
  });

  it('keeps the click id name, never its value', () => {
    const arrival = arrive('?gclid=SECRET-CLICK-VALUE&utm_source=google');
    expect(arrival).toEqual({ touchpoint: 'ad', clickId: 'gclid', source: 'google' });
    expect(JSON.stringify(arrival)).not.toContain('SECRET');
  });

  it('wins over a non-paid utm_medium', () => {
    expect(touchpointOf('?gclid=1&utm_medium=email')).toBe('ad');
  });
});

describe('fbclid means social unless the medium says paid', () => {
  it('is social from a Facebook link shim', () => {
    expect(arrive('?fbclid=IwAR1', 'https://l.facebook.com/')).toEqual({
      touchpoint: 'social',
      clickId: 'fbclid',
      source: 'l.facebook.com',
    });
  });
  it('is social without a referrer (in-app browsers often send none)', () => {
    expect(touchpointOf('?fbclid=IwAR1')).toBe('social');
  });
  it('is an ad with a paid utm_medium', () => {
    expect(touchpointOf('?fbclid=IwAR1&utm_medium=paid_social', 'https://lm.facebook.com/')).toBe('ad');
    expect(touchpointOf('?fbclid=IwAR1&utm_medium=cpc')).toBe('ad');
  });
  it('turns a newsletter link shared on Facebook into social', () => {
    expect(touchpointOf('?fbclid=IwAR1&utm_medium=email', 'https://m.facebook.com/')).toBe('social');
  });
});

describe('utm_medium decides the touchpoint of tagged links', () => {
  it.each([
    ['cpc', 'ad'], ['CPC', 'ad'], ['ppc', 'ad'], ['cpm', 'ad'], ['cpv', 'ad'], ['paid', 'ad'], ['paid_social', 'ad'],
    ['paidsearch', 'ad'], ['paid-search', 'ad'], ['display', 'ad'], ['banner', 'ad'], ['ads', 'ad'], ['retargeting', 'ad'],
    ['social', 'social'], ['Social', 'social'], ['social-network', 'social'], ['social_media', 'social'], ['sm', 'social'],
    ['email', 'email'], ['e-mail', 'email'], ['e_mail', 'email'], ['Email', 'email'], ['newsletter', 'email'],
    ['organic', 'search'], ['referral', 'referral'], ['affiliate', 'referral'],
    ['qr-code', 'referral'], ['print', 'referral'],
  ])('utm_medium=%s → %s', (medium, touchpoint) => {
    expect(touchpointOf(`?utm_source=x&utm_medium=${medium}`)).toBe(touchpoint);
  });

  it('beats the referrer host', () => {
    expect(touchpointOf('?utm_medium=cpc', 'https://www.google.com/')).toBe('ad');
    expect(touchpointOf('?utm_medium=email', 'https://www.bing.com/')).toBe('email');
  });

  it('does not read half a word: "sms" is no social, "adventure" no ad', () => {
    expect(touchpointOf('?utm_medium=sms')).toBe('referral');
    expect(touchpointOf('?utm_medium=adventure')).toBe('referral');
  });
});

describe('email platforms are recognised by utm_source', () => {
  it.each(['klaviyo', 'Klaviyo', 'mailchimp', 'brevo', 'sendinblue', 'omnisend', 'mailerlite', 'mailjet', 'activecampaign'])(
    'utm_source=%s without medium is email',
    (source) => expect(touchpointOf(`?utm_source=${source}&utm_campaign=spring`)).toBe('email'),
  );
  it('lets an explicit medium win', () => {
    expect(touchpointOf('?utm_source=klaviyo&utm_medium=sms')).toBe('referral');
    expect(touchpointOf('?utm_source=klaviyo&utm_medium=social')).toBe('social');
  });
});

describe('utm values are copied trimmed and capped, nothing else', () => {
  it('copies the five utm values', () => {
    expect(
      arrive('?utm_source=%20newsletter%20&utm_medium=email&utm_campaign=Spring%20Sale&utm_term=mug&utm_content=hero'),
    ).toEqual({ touchpoint: 'email', source: 'newsletter', medium: 'email', campaign: 'Spring Sale', term: 'mug', content: 'hero' });
  });
  it(`keeps at most ${MAX_UTM_LENGTH} characters of each`, () => {
    expect(arrive(`?utm_campaign=${'x'.repeat(500)}`)!.campaign).toBe('x'.repeat(MAX_UTM_LENGTH));
  });
  it('drops empty and blank values', () => {
    expect(arrive('?utm_source=&utm_medium=%20%20', 'https://www.google.com/')).toEqual({
      touchpoint: 'search',
      source: 'google.com',
    });
  });
  it('never copies other query parameters', () => {
    const arrival = arrive('?utm_source=a&email=jane%40example.com&token=abc123&utm_id=42&ref=friend');
    expect(Object.keys(arrival!).sort()).toEqual(['source', 'touchpoint']);
    expect(JSON.stringify(arrival)).not.toMatch(/jane|abc123|42|friend/);
  });
});

describe('social networks are recognised by referrer, mobile shims included', () => {
  it.each([
    'https://www.facebook.com/', 'https://l.facebook.com/l.php', 'https://lm.facebook.com/', 'https://m.facebook.com/',
    'https://web.facebook.com/', 'https://l.messenger.com/', 'https://www.instagram.com/', 'https://l.instagram.com/',
    'https://www.threads.net/', 'https://www.threads.com/', 'https://t.co/AbC123', 'https://x.com/', 'https://twitter.com/',
    'https://mobile.twitter.com/', 'https://www.linkedin.com/', 'https://lnkd.in/abc', 'https://www.pinterest.com/',
    'https://www.pinterest.fr/', 'https://pinterest.co.uk/', 'https://pin.it/abc', 'https://www.tiktok.com/',
    'https://vm.tiktok.com/', 'https://www.youtube.com/', 'https://m.youtube.com/', 'https://youtu.be/x',
    'https://www.reddit.com/', 'https://out.reddit.com/', 'https://www.snapchat.com/', 'https://web.whatsapp.com/',
    'https://wa.me/', 'https://t.me/shop', 'https://web.telegram.org/', 'https://away.vk.com/', 'https://discord.com/',
    'https://bsky.app/',
  ])('%s → social', (referrer) => expect(touchpointOf('', referrer)).toBe('social'));
});

describe('search engines are recognised by referrer', () => {
  it.each([
    'https://www.google.com/', 'https://www.google.fr/', 'https://www.google.co.uk/', 'https://www.google.com.br/',
    'android-app://com.google.android.googlequicksearchbox/', 'https://www.bing.com/', 'https://cn.bing.com/',
    'https://duckduckgo.com/', 'https://search.yahoo.com/', 'https://fr.search.yahoo.com/', 'https://www.yahoo.co.jp/',
    'https://www.ecosia.org/', 'https://www.qwant.com/', 'https://www.baidu.com/', 'https://yandex.ru/',
    'https://yandex.com.tr/', 'https://ya.ru/', 'https://www.startpage.com/', 'https://search.brave.com/',
    'https://search.naver.com/', 'https://search.seznam.cz/', 'https://kagi.com/',
  ])('%s → search', (referrer) => expect(touchpointOf('', referrer)).toBe('search'));

  it('takes the source from the referrer host without www.', () => {
    expect(arrive('', 'https://www.google.co.uk/')).toEqual({ touchpoint: 'search', source: 'google.co.uk' });
  });
});

describe('webmail referrers are email', () => {
  it.each([
    'https://mail.google.com/mail/u/0/', 'android-app://com.google.android.gm/', 'https://mail.yahoo.com/',
    'https://outlook.live.com/', 'https://outlook.office.com/', 'https://outlook.office365.com/', 'https://mail.proton.me/',
  ])('%s → email', (referrer) => expect(touchpointOf('', referrer)).toBe('email'));
});

describe('any other external referrer is a referral', () => {
  it.each([
    ['https://blog.example.org/best-mugs', 'blog.example.org'],
    ['https://www.mug-reviews.com/', 'mug-reviews.com'],
    ['https://notgoogle.com/', 'notgoogle.com'],
    ['https://googleusercontent.com/', 'googleusercontent.com'],
    ['https://net.co/', 'net.co'],
    ['https://facebook.com.example.net/', 'facebook.com.example.net'],
    ['https://checkout.shop.example/', 'checkout.shop.example'],
  ])('%s → referral from %s', (referrer, source) => {
    expect(arrive('', referrer)).toEqual({ touchpoint: 'referral', source });
  });
  it('keeps utm_source over the referrer host', () => {
    expect(arrive('?utm_source=partner', 'https://blog.example.org/')).toEqual({ touchpoint: 'referral', source: 'partner' });
  });
});

describe('navigation inside the shop is no arrival', () => {
  it.each([
    ['same host', SHOP, 'https://shop.example/cart'],
    ['www. on the referrer', SHOP, 'https://www.shop.example/'],
    ['www. on the page', 'https://www.shop.example/', 'https://shop.example/collections/all'],
    ['other scheme and port, same host', SHOP, 'http://shop.example:8080/'],
    ['back from PayPal', SHOP, 'https://www.paypal.com/checkoutnow'],
    ['back from Stripe', SHOP, 'https://checkout.stripe.com/c/pay'],
    ['back from Klarna', SHOP, 'https://pay.klarna.de/'],
    ['back from Shop Pay', SHOP, 'https://shop.app/pay'],
  ])('%s → undefined', (_, url, referrer) => expect(classifyArrival(new URL(url), referrer)).toBeUndefined());

  it('takes more internal hosts, such as a checkout on another domain', () => {
    const url = new URL(SHOP);
    const internal = 'paypal.com secure.shop-checkout.example';
    expect(classifyArrival(url, 'https://secure.shop-checkout.example/pay', internal)).toBeUndefined();
    expect(classifyArrival(url, 'https://www.paypal.com/', internal)).toBeUndefined();
    expect(classifyArrival(url, 'https://stripe.com/', internal)?.touchpoint).toBe('referral');
  });

  it('still classifies an internal link with campaign parameters, by its parameters only', () => {
    expect(arrive('?utm_source=site&utm_medium=banner', 'https://shop.example/')).toEqual({
      touchpoint: 'ad',
      source: 'site',
      medium: 'banner',
    });
    expect(arrive('?utm_campaign=x', 'https://shop.example/')).toEqual({ touchpoint: 'referral', campaign: 'x' });
  });
});

describe('no referrer and no campaign is direct', () => {
  it.each(['', 'not a url', 'http://', '::::', 'about:blank', 'null', '//google.com', 'https://'])(
    'referrer %j → direct',
    (referrer) => expect(arrive('', referrer)).toEqual({ touchpoint: 'direct' }),
  );
  it('ignores unrelated query parameters', () => {
    expect(arrive('?variant=123&q=mug')).toEqual({ touchpoint: 'direct' });
  });
  it('counts a tagged link without medium or referrer as a referral', () => {
    expect(arrive('?utm_source=flyer')).toEqual({ touchpoint: 'referral', source: 'flyer' });
  });
});
