import type { Format } from './format/types';
import type { Entry, Queue } from './queue';
import type { Log } from './lib/log';
import type { KeyValue } from './lib/storage';
import { BACKOFF_BASE_MS, backoffDelay, retryAfterMs } from './lib/backoff';
import { withSendLock } from './lib/sendLock';
import { byteLength, stringify } from './lib/json';
import { fitEvent } from './lib/jsonSafe';
import { MAX_BODY_BYTES, beacon, post } from './transport';

/**
 * Events handed to the browser at unload (keepalive fetch, or sendBeacon where there is none) are held back this
 * long before any tab sends them again. That answer is never seen, so delivery at unload is at-least-once: a later
 * visit re-sends them, and the collector drops the copy by event id. The grace keeps that re-send from racing an
 * unload request still in flight.
 */
export const BEACON_GRACE_MS = 5_000;
/** Batches sent per turn before yielding to the page (the turn continues on a fresh timer). */
const MAX_ROUNDS = 20;

export interface SenderOptions {
  endpoint: string;
  site: string | null;
  batchSize: number;
  flushInterval: number;
  format: Format;
  queue: Queue;
  lockStore: KeyValue;
  log: Log;
  /** Called when events are dropped, so the loss is reported as an `events_dropped` event. */
  onDrop(entries: Entry[], reason: string, status?: number): void;
}

export interface Sender {
  /** Send after `ms`, unless a send is already due sooner or a backoff holds it. */
  schedule(ms?: number): void;
  /** Send now, waiting for another tab's send to finish. Resolves when empty or unreachable. */
  flush(): Promise<void>;
  /** Retry now (the browser came back online). */
  retryNow(): void;
  /** The page is going away: beacon what this page has not seen confirmed. */
  unload(): void;
  stop(): void;
}

export const createSender = (o: SenderOptions): Sender => {
  const { queue, format, log } = o;
  const inflight = new Set<Entry>();
  let attempt = 0;
  let retryAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = Infinity;
  let stopped = false;

  const schedule = (ms = o.flushInterval) => {
    const at = Math.max(Date.now() + ms, retryAt);
    if (stopped || at >= due) return;
    clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      due = Infinity;
      send(false).then((more) => more && schedule(0)); // continue on a fresh task
    }, at - Date.now());
  };

  /** Encode entries and pack as many as fit one body, in order; `unfit` are those no body can ever carry. */
  const fit = (entries: Entry[], limit: number) => {
    const items: string[] = [];
    const packed: Entry[] = [];
    const unfit: Entry[] = [];
    const base = byteLength(format.body([], Date.now(), o.site));
    let bytes = base;
    const max = Math.min(MAX_BODY_BYTES - base, format.maxItemBytes ?? Infinity);
    for (const x of entries) {
      if (packed.length >= limit) break;
      let item = format.item(x.e);
      let size = item ? byteLength(item) + 1 : Infinity;
      // A format's envelope can outgrow its limit where the event did not (Segment repeats the page in a page
      // view): cut the event's properties by the excess, once, rather than drop the event.
      if (item && size > max) {
        fitEvent(x.e, byteLength(stringify(x.e) ?? '') - (size - max) - 100);
        item = format.item(x.e);
        size = item ? byteLength(item) + 1 : Infinity;
      }
      if (size > max) unfit.push(x);
      else if (bytes + size > MAX_BODY_BYTES) break;
      else {
        bytes += size;
        items.push(item!);
        packed.push(x);
      }
    }
    return { items, packed, unfit };
  };

  // A wait the collector asked for (Retry-After, or backoff after failures) holds every tab of the shop, not only
  // the one that was told: N open tabs must not mean N times the retries against a collector in trouble.
  const retryKey = 'parcours:retry:' + o.endpoint;

  /** One turn of sending, under the shop-wide lock. Stops at the first failure. `force`: an explicit flush. */
  const turn = async (force: boolean) => {
    const until = +(o.lockStore.get(retryKey) || 0);
    if (!force && until > Date.now()) {
      retryAt = until;
      schedule();
      return;
    }
    let limit = o.batchSize;
    for (let round = 0; round < MAX_ROUNDS && !stopped; round++) {
      const now = Date.now();
      const head = await queue.head(o.batchSize * 2);
      const ready = head.filter((x) => !(now - (x.b ?? -Infinity) < BEACON_GRACE_MS));
      if (!ready.length) {
        if (head.length) schedule(BEACON_GRACE_MS);
        return;
      }
      const { items, packed, unfit } = fit(ready, limit);
      if (unfit.length) {
        await queue.remove(unfit);
        o.onDrop(unfit, 'too_large');
      }
      if (!packed.length) continue;
      packed.forEach((x) => inflight.add(x));
      const { status, retryAfter } = await post(o.endpoint, format.body(items, Date.now(), o.site), format.headers);
      packed.forEach((x) => inflight.delete(x));
      if (status >= 200 && status < 300) {
        await queue.remove(packed);
        if (attempt || retryAt) o.lockStore.del(retryKey);
        attempt = retryAt = 0;
      } else if (status == 413 && packed.length > 1) {
        limit = Math.ceil(packed.length / 2); // split: the next round sends the first half
      } else if (status && status < 500 && ![401, 403, 408, 429].includes(status)) {
        // A poison batch must never block the queue: drop it, and say so. (401/403 are a wrong write key or
        // origin — the shop's configuration, not the batch — so those keep the events and retry.)
        log('collector answered ' + status + '; dropping ' + packed.length + ' events');
        await queue.remove(packed);
        o.onDrop(packed, status == 413 ? 'too_large' : 'rejected', status);
      } else {
        const wait = retryAfterMs(retryAfter, now) ?? Math.max(backoffDelay(++attempt), BACKOFF_BASE_MS / 4);
        log('send failed (' + (status || 'network') + '); retrying in ' + Math.round(wait) + ' ms');
        retryAt = Date.now() + wait;
        o.lockStore.set(retryKey, '' + retryAt);
        schedule(wait);
        return;
      }
    }
    return true; // more to send
  };

  const lockName = 'parcours:send:' + o.endpoint;
  /** One turn; true when more is waiting. An explicit flush takes turns until the queue is empty or a send fails. */
  const send = async (wait: boolean): Promise<boolean | undefined> => {
    try {
      if (!format.item) return; // the format's code is still loading: hold the queue
      await queue.written();
      return await withSendLock(lockName, wait, o.lockStore, () => turn(wait));
    } catch (error) {
      log('send error: ' + error);
    }
  };
  const flush = async () => {
    for (let i = 0; i < 100 && (await send(true)); i++);
  };

  return {
    schedule,
    flush,
    retryNow() {
      attempt = retryAt = 0;
      o.lockStore.del(retryKey);
      schedule(0);
    },
    unload() {
      // Offline, a beacon is lost for sure: leave the events to a later visit.
      if (navigator.onLine === false || !format.item) return log('offline or format not loaded at pagehide; a later visit sends the queue');
      const now = Date.now();
      const rest = queue.unconfirmed().filter((x) => !inflight.has(x) && !x.b);
      const sent: Entry[] = [...inflight]; // keepalive requests already on the wire outlive the page too
      while (rest.length) {
        const { items, packed, unfit } = fit(rest, o.batchSize);
        if (!packed.length || !beacon(o.endpoint, format.body(items, now, o.site), format.headers)) break; // quota spent: a later visit sends the rest
        sent.push(...packed);
        rest.splice(0, packed.length + unfit.length);
      }
      if (sent.length) log('pagehide: ' + sent.length + ' events beaconed or in flight; kept until confirmed by a later send');
      queue.mark(sent, now);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
