/**
 * The `<script>` entry (dist/parcours.min.js): the core, journey tagging, privacy redaction and wire formats. It reads its options from
 * its own tag's `data-*` attributes, exposes `window.parcours`, replays what the pre-load stub queued, in order:
 *
 *   window.parcours = window.parcours || function () { (parcours.q = parcours.q || []).push(arguments) };
 *
 * and loads the auto-instrumentation parts `data-auto` asks for from files next to itself
 * (parcours-auto.min.js, parcours-signals.min.js), so a page pays for what it uses, after its own load.
 */
import type { Consent, TrackerOptions } from '../types';
import type { Format } from '../format/types';
import type { InternalTracker, Part } from '../tracker';
import { createTracker } from '../tracker';
import { createLog } from '../lib/log';
import { guard } from '../lib/guard';
import { journey } from '../auto/journey';
import type { segmentFormat } from '../format/segment';
import { privacy } from '../privacy/redact';
import { CHUNKS, OPT_IN, type ChunkName } from './chunks';
import { ratingLinks } from '../feedback/links';
import { promptTrigger } from '../feedback/promptTrigger';

type Parcours = ((command: string, ...args: unknown[]) => unknown) & {
  q?: ArrayLike<unknown>[];
  loaded?: boolean;
  _add?(chunk: ChunkName, factories: Record<string, () => Part>): void;
  _format?(make: typeof segmentFormat): void;
};

// Replaced at build time by the SRI hashes of the chunk files (see rollup.config.mjs).
declare const __CHUNK_INTEGRITY__: Record<string, string>;

try {
  const w = window as unknown as { parcours?: Parcours };
  // Included twice (theme + tag manager): the first copy keeps working and the second does nothing.
  if (!w.parcours?.loaded) {
    const script = (document.currentScript ||
      document.querySelector('script[data-endpoint][src*="parcours"]')) as HTMLScriptElement | null;
    const attr = (name: string) => script?.getAttribute('data-' + name) ?? undefined;
    const flag = (name: string) => attr(name) != null && attr(name) != 'false';
    // A number attribute that is not a number stays NaN, which the option check reports and replaces by the default.
    const num = (name: string) => (attr(name) == null ? undefined : +attr(name)!);
    const debug = flag('debug');
    const log = createLog(debug);
    // data-format="segment": Segment HTTP API batches (RudderStack, Jitsu… too), with data-write-key as Basic auth.
    // Its code is a file of its own (parcours-segment.min.js): until it is there this format has no `item`, and
    // the sender keeps every event queued for it, so none goes to a Segment endpoint in the parcours format.
    const format = attr('format');
    const segment = format == 'segment' ? ({} as Format) : undefined;
    const tracker = createTracker({
      endpoint: attr('endpoint')!,
      site: attr('site'),
      debug,
      batchSize: num('batch-size'),
      flushInterval: num('flush-interval'),
      consent: attr('consent') as Consent | undefined,
      anonymous: flag('anonymous'),
      gpc: attr('gpc') as TrackerOptions['gpc'],
      format: segment,
      feedbackComments: flag('feedback-comments'),
      parts: [journey(), ratingLinks(), privacy()],
    }) as InternalTracker;
    if (format && !segment) log('data-format: unknown format "' + format.slice(0, 50) + '"; sending parcours batches');

    // data-auto: "all" (default: every part but the opt-in ones), "none", or a list of part names, "all" among them.
    const known = Object.values(CHUNKS).flat();
    const auto = (attr('auto') ?? 'all').trim();
    const wanted = auto == 'none' ? [] : auto.split(/[\s,]+/).flatMap((name) => (name == 'all' ? known.filter((k) => !OPT_IN.includes(k)) : name));
    for (const name of wanted) if (!known.includes(name)) log('data-auto: unknown part "' + name.slice(0, 50) + '" ignored (known: ' + known + ')');

    const commands: Record<string, (...args: never[]) => unknown> = {
      track: tracker.track,
      page: tracker.page,
      identify: tracker.identify,
      feedback: tracker.feedback,
      journey: tracker.journey,
      flush: tracker.flush,
      consent: tracker.consent,
    };
    const parcours = guard((command: string, ...args: unknown[]) => {
      const run = commands[command];
      if (typeof run == 'function') return run(...(args as never[]));
      log('unknown command "' + String(command).slice(0, 50) + '" ignored');
    }, log) as Parcours;
    const queued = w.parcours?.q;
    w.parcours = Object.assign(parcours, commands, {
      loaded: true,
      // A chunk file registers its part factories here once it has loaded; only the wanted ones start.
      _add: guard((chunk: ChunkName, factories: Record<string, () => Part>) => {
        tracker._use?.(CHUNKS[chunk].filter((name) => wanted.includes(name) && factories[name]).map((name) => factories[name]()));
      }, log),
      // The Segment file, once loaded: the format gets its code, and what waited in the queue goes out now.
      _format: guard((make: typeof segmentFormat) => {
        if (segment && !segment.item) Object.assign(segment, make({ writeKey: attr('write-key') })), tracker.flush();
      }, log),
    });
    for (let i = 0; queued && i < queued.length && i < 1000; i++) parcours(...(Array.from(queued[i]) as [string]));

    // Chunks come from next to this file; with SRI on this tag (its `integrity`), each chunk is checked too.
    const load = (chunk: ChunkName | 'segment', off = '; its parts are off') => {
      const s = document.createElement('script');
      try {
        // Trusted Types pages refuse this; a core pasted inline (no tag with a src) has nowhere to load from.
        s.src = new URL('parcours-' + chunk + '.min.js', script!.src).href;
      } catch {
        return log('could not load parcours-' + chunk + '.min.js (Trusted Types, or no src?)' + off);
      }
      const hash = script!.integrity && __CHUNK_INTEGRITY__[chunk];
      if (hash) {
        s.integrity = hash;
        s.crossOrigin = script!.crossOrigin || 'anonymous';
      }
      // A nonce-based Content-Security-Policy allows the parts with the nonce the shop gave this tag.
      if (script!.nonce) s.nonce = script!.nonce;
      s.async = false; // fetched in parallel, run in order: pages first, so the other parts start on a detected page
      s.onerror = () => log('could not load ' + s.src + off);
      document.head.appendChild(s);
    };
    // The format first: the events it holds wait for it alone.
    if (segment) load('segment', '; events stay queued');
    for (const chunk of Object.keys(CHUNKS) as ChunkName[])
      if (chunk != 'prompt' && CHUNKS[chunk].some((name) => wanted.includes(name))) load(chunk);
    // The prompt's file loads when it is to show, not before.
    if (wanted.includes('prompt')) tracker._use?.([promptTrigger(() => load('prompt'))]);
  }
} catch {}
