import type { Consent, TrackerOptions } from './types';
import type { Log } from './lib/log';
import { DEFAULT_MAX_QUEUE } from './queue';

/** Options after validation: every field present and sane. */
export interface Config {
  endpoint: string;
  site: string | null;
  batchSize: number;
  flushInterval: number;
  maxQueue: number;
  debug: boolean;
  consent: Consent;
  anonymous: boolean;
  gpc: 'anonymous' | 'deny' | 'ignore';
  feedbackComments: boolean;
}

/** The values each choice option accepts; the first is its default. */
export const CHOICES = { consent: ['granted', 'pending', 'denied'], gpc: ['anonymous', 'deny', 'ignore'] } as const;

/** Defaults, and the range each number must fall in. */
export const DEFAULTS = { batchSize: 50, flushInterval: 1_000, maxQueue: DEFAULT_MAX_QUEUE } as const;
const RANGES = { batchSize: [1, 500], flushInterval: [100, 3_600_000], maxQueue: [10, 1_000_000] } as const;
const KNOWN = ['endpoint', 'site', 'debug', 'anonymous', 'beforeSend', 'feedbackComments', ...Object.keys(DEFAULTS), ...Object.keys(CHOICES)];

/**
 * Validate options the way a shop's config deserves: every mistake gets one clear line in debug mode and a safe
 * default. Returns undefined only when there is nowhere to send (no valid endpoint): the tracker then does nothing.
 */
export const readOptions = (raw: TrackerOptions, log: Log, extraKeys: string[] = []): Config | undefined => {
  const o = (raw && typeof raw == 'object' ? raw : {}) as unknown as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN.includes(key) && !extraKeys.includes(key)) log('unknown option "' + key + '" ignored');
  const endpoint = readEndpoint(o.endpoint, log);
  if (!endpoint) return;
  const config: Config = { endpoint, site: null, debug: !!o.debug, anonymous: !!o.anonymous, feedbackComments: !!o.feedbackComments, consent: 'granted', gpc: 'anonymous', ...DEFAULTS };
  for (const key of Object.keys(CHOICES) as (keyof typeof CHOICES)[]) {
    const v = o[key];
    if (v == null) continue;
    if ((CHOICES[key] as readonly unknown[]).includes(v)) (config as any)[key] = v;
    else log('option "' + key + '" must be one of ' + CHOICES[key].join(', ') + '; using ' + CHOICES[key][0]);
  }
  if (o.site != null) {
    if (typeof o.site == 'string' && o.site) config.site = o.site.slice(0, 100);
    else log('option "site" must be a non-empty string; sending site: null');
  }
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const v = o[key];
    if (v == null) continue;
    const [min, max] = RANGES[key];
    if (typeof v == 'number' && v >= min && v <= max) config[key] = Math.floor(v);
    else log('option "' + key + '" must be a number from ' + min + ' to ' + max + '; using ' + DEFAULTS[key]);
  }
  return config;
};

/** Collectors must be https, except on the machine itself (development, tests). */
const readEndpoint = (value: unknown, log: Log): string | undefined => {
  const refuse = (why: string) => void log('option "endpoint" ' + why + '; nothing will be sent');
  // Only a string: String() of an array or object (a sparse array of 50 million slots) could freeze the tab.
  if (!value || typeof value != 'string') return refuse('is required, as a URL string');
  let url: URL;
  try {
    url = new URL(value, document.baseURI);
  } catch {
    return refuse('is not a URL (' + value.slice(0, 100) + ')');
  }
  if (url.protocol == 'https:' || (url.protocol == 'http:' && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname))) return url.href;
  refuse('must be https: (or http://localhost); got ' + url.protocol);
};

