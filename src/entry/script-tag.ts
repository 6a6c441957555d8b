/**
 * The `<script>` entry (dist/parcours.min.js). Reads its options from its own tag's `data-*` attributes,
 * exposes `window.parcours`, and replays the calls the pre-load stub queued, in order:
 *
 *   window.parcours = window.parcours || function () { (parcours.q = parcours.q || []).push(arguments) };
 */
import type { Tracker } from '../types';
import { createTracker } from '../tracker';
import { createLog } from '../lib/log';
import { guard } from '../lib/guard';

type Parcours = ((command: string, ...args: unknown[]) => unknown) & Partial<Tracker> & { q?: ArrayLike<unknown>[]; loaded?: boolean };

try {
  const w = window as unknown as { parcours?: Parcours };
  // Included twice (theme + tag manager): the first copy keeps working and the second does nothing.
  if (!w.parcours?.loaded) {
    const script = (document.currentScript ||
      document.querySelector('script[data-endpoint][src*="parcours"]')) as HTMLScriptElement | null;
    const attr = (name: string) => script?.getAttribute('data-' + name) ?? undefined;
    // A number attribute that is not a number stays NaN, which the option check reports and replaces by the default.
    const num = (name: string) => (attr(name) == null ? undefined : +attr(name)!);
    const debug = attr('debug') != null && attr('debug') != 'false';
    const log = createLog(debug);
    const tracker = createTracker({
      endpoint: attr('endpoint')!,
      site: attr('site'),
      debug,
      batchSize: num('batch-size'),
      flushInterval: num('flush-interval'),
    });
    const commands: Record<string, (...args: never[]) => unknown> = {
      track: tracker.track,
      page: tracker.page,
      identify: tracker.identify,
      flush: tracker.flush,
    };
    const parcours = guard((command: string, ...args: unknown[]) => {
      const run = commands[command];
      if (typeof run == 'function') return run(...(args as never[]));
      log('unknown command "' + String(command).slice(0, 50) + '" ignored');
    }, log) as Parcours;
    const queued = w.parcours?.q;
    w.parcours = Object.assign(parcours, commands, { loaded: true });
    for (let i = 0; queued && i < queued.length && i < 1000; i++) parcours(...(Array.from(queued[i]) as [string]));
  }
} catch {}
