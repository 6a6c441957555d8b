import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Part } from '../../../src/tracker';
import type { PageInfo, Tracker } from '../../../src/types';
import type { SignalOptions } from '../../../src/signals';
import { fakeCollector, loadSdk } from '../core/fakeCollector';

// With the real tracker: the parts use its api as shipped, and their events reach a collector.
describe('signals() in a tracker', () => {
  let collector: ReturnType<typeof fakeCollector>;
  let tracker: Tracker;
  const start = async (options: SignalOptions, page: PageInfo) => {
    const loaded = await loadSdk(async () => ({
      createTracker: (await import('../../../src/tracker')).createTracker,
      signals: (await import('../../../src/signals')).signals,
    }));
    const { createTracker, signals } = loaded.sdk;
    collector = loaded.collector;
    // The pagehide sends go by sendBeacon, to the same collector; the transport looks it up at each send.
    vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => (collector.fetch(url, { body: body as string }), true));
    const pages: Part = (api) => api.setPage(page); // what the pages part does on load
    tracker = createTracker({ endpoint: 'http://127.0.0.1:1/collect', flushInterval: 60_000, parts: [signals(options), pages] });
  };
  const scriptError = () =>
    window.dispatchEvent(new ErrorEvent('error', { message: 'boom', filename: 'https://shop.example/app.js', lineno: 1, colno: 2 }));
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => {
    tracker.destroy();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('sends a checkout abandoned at pagehide with the page’s last events', async () => {
    await start({}, { type: 'checkout', step: 'payment', source: 'url' });
    scriptError();
    window.dispatchEvent(new Event('pagehide'));
    await tracker.flush();
    const events = [...collector.stored.values()];
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['js_error', 'checkout_abandoned']));
    expect(events.find((e) => e.type == 'checkout_abandoned')!.properties).toMatchObject({ step: 'payment', last_field: '' });
  });

  it('leaves out the groups switched off', async () => {
    await start({ frictions: false, vitals: false }, { type: 'checkout', step: 'payment', source: 'url' });
    scriptError();
    window.dispatchEvent(new Event('pagehide'));
    await tracker.flush();
    expect(collector.types().filter((t) => t != 'engagement')).toEqual([]);
  });
});
