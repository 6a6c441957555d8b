import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The transport decides at load whether the browser has keepalive fetch, and keeps the browser's own fetch: each
// test loads a fresh copy after setting the stage.
type Transport = typeof import('../../../src/transport');
const load = async (keepalive: boolean): Promise<Transport> => {
  vi.resetModules();
  if (keepalive) Object.defineProperty(Request.prototype, 'keepalive', { configurable: true, get: () => false });
  return import('../../../src/transport');
};

/** A fetch that holds every request until `answer()`, recording each one. */
const holdingFetch = () => {
  const calls: { url: string; init: RequestInit; answer(): void }[] = [];
  const fetch = vi.fn(
    (url: string, init: RequestInit) =>
      new Promise<Response>((resolve) => calls.push({ url, init, answer: () => resolve(new Response('{}', { status: 200 })) })),
  );
  return { calls, fetch };
};

describe('at unload: keepalive fetch where the browser has it, sendBeacon only where not', () => {
  let net: ReturnType<typeof holdingFetch>;
  let sendBeacon: ReturnType<typeof vi.fn<(url: string | URL, data?: BodyInit | null) => boolean>>;
  beforeEach(() => {
    net = holdingFetch();
    vi.stubGlobal('fetch', net.fetch);
    sendBeacon = vi.fn((_url: string | URL, _data?: BodyInit | null) => true);
    vi.spyOn(navigator, 'sendBeacon').mockImplementation(sendBeacon);
  });
  afterEach(() => {
    delete (Request.prototype as { keepalive?: boolean }).keepalive;
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('sends a keepalive fetch, not a beacon (a blocker sees a beacon as a `ping`)', async () => {
    const { beacon } = await load(true);
    expect(beacon('https://collect.example/collect', '{"batch":[]}')).toBe(true);
    expect(sendBeacon).not.toHaveBeenCalled();
    expect(net.calls).toHaveLength(1);
    expect(net.calls[0].init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit', body: '{"batch":[]}' });
  });

  it('falls back to sendBeacon where Request has no keepalive', async () => {
    const { beacon } = await load(false);
    expect(beacon('https://collect.example/collect', '{"batch":[]}')).toBe(true);
    expect(sendBeacon).toHaveBeenCalledWith('https://collect.example/collect', '{"batch":[]}');
    expect(net.calls).toHaveLength(0);
  });

  it("respects the page's 64 KiB keepalive quota: a body that does not fit is refused, so the sender keeps it", async () => {
    const { beacon, post, KEEPALIVE_QUOTA } = await load(true);
    const body = 'x'.repeat(40_000);
    const sending = post('https://collect.example/collect', body); // a send of the living page, still on the wire
    expect(beacon('https://collect.example/collect', body)).toBe(false);
    expect(beacon('https://collect.example/collect', 'x'.repeat(20_000))).toBe(true); // what fits
    expect(net.calls.map((c) => c.init.keepalive)).toEqual([true, true]);
    net.calls[0].answer();
    await sending; // answered and read: its bytes are free again, the 20,000 still held
    expect(beacon('https://collect.example/collect', 'x'.repeat(KEEPALIVE_QUOTA - 20_000 + 1))).toBe(false);
    expect(beacon('https://collect.example/collect', 'x'.repeat(KEEPALIVE_QUOTA - 20_000))).toBe(true);
  });

  it('while the page lives, a send beyond the quota goes as a plain fetch rather than fail', async () => {
    const { post } = await load(true);
    void post('https://collect.example/collect', 'x'.repeat(60_000));
    void post('https://collect.example/collect', 'x'.repeat(60_000));
    expect(net.calls.map((c) => c.init.keepalive)).toEqual([true, false]);
  });
});
