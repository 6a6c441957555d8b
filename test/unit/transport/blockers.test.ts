// @vitest-environment node
import { readFileSync, readdirSync } from 'node:fs';
import { FiltersEngine, Request } from '@ghostery/adblocker';
import { beforeAll, describe, expect, it } from 'vitest';

// What shoppers' content blockers do to the default install, asked of a real filter engine loaded with the lists
// they run (EasyList, EasyPrivacy, uBlock Origin's): ../shared/blocklists, beside the clone (data, not project
// code). Request types are those a blocker sees: a `<script>` is `script`, fetch (keepalive or not) is `xhr`,
// sendBeacon is `ping`.

const LISTS = new URL('../../../../shared/blocklists/', import.meta.url);
let engine: FiltersEngine;
let filters = 0;

beforeAll(() => {
  const text = readdirSync(LISTS)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(new URL(f, LISTS), 'utf8'))
    .join('\n');
  filters = text.split('\n').filter((l) => l && !l.startsWith('!') && !l.startsWith('[')).length;
  engine = FiltersEngine.parse(text, { loadCosmeticFilters: false, debug: true }); // once for the file: seconds
}, 60_000);

const blockedBy = (url: string, type: 'script' | 'xhr' | 'ping', page = 'https://shop.example/products/moon-bowl') => {
  const { match, filter } = engine.match(Request.fromRawDetails({ url, type, sourceUrl: page }));
  return match ? String(filter) : null;
};

const SHOP = 'https://shop.example';
const COLLECTORS = {
  'on the shop\'s own domain': 'https://shop.example/collect',
  'on its own domain (the README\'s first example)': 'https://collect.example.com/collect',
};
const SCRIPTS = ['parcours.min.js', 'parcours-auto.min.js', 'parcours-signals.min.js', 'parcours-bridges.min.js'];

describe('content blockers and the default install', () => {
  it('the lists are the real ones (160,000 filter lines)', () => {
    expect(filters).toBeGreaterThan(150_000);
  });

  it("the tag's files, served from the shop, are not blocked", () => {
    for (const f of SCRIPTS) expect(blockedBy(`${SHOP}/${f}`, 'script'), f).toBeNull();
  });

  it.each(Object.entries(COLLECTORS))('the batches by fetch, and the unload batch by keepalive fetch, to a collector %s, are not blocked', (_, endpoint) => {
    expect(blockedBy(endpoint, 'xhr')).toBeNull();
  });

  it('a sendBeacon to a collector on another domain IS blocked (EasyPrivacy $ping,third-party): why unload uses keepalive fetch', () => {
    expect(blockedBy(COLLECTORS["on its own domain (the README's first example)"], 'ping')).toMatch(/\$ping,third-party/);
    expect(blockedBy(COLLECTORS["on the shop's own domain"], 'ping')).toBeNull(); // first-party pings pass
  });

  // The collector path you choose decides: these look like Google Analytics or Segment, and are blocked anywhere.
  it.each([
    ['/collect?v=2', 'GA-style query on the path'],
    ['/g/collect?v=2&tid=G-XXXX', 'GA4 path'],
    ['/analytics.js/v1/batch', 'Segment path'],
  ])('endpoint paths blockers do hit, even first-party: %s (%s)', (path) => {
    expect(blockedBy(`${SHOP}${path}`, 'xhr') ?? blockedBy(`https://collect.example.com${path}`, 'xhr')).not.toBeNull();
  });
});
