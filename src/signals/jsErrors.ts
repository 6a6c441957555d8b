/** JavaScript errors: a broken script on a product or payment page is a friction the customer hits without a word. */
import type { Part } from '../tracker';
import { redactText } from '../privacy/redact';
import { all, listen } from '../lib/listen';

/** `js_error` events per page view, at most. */
export const MAX_JS_ERRORS = 10;

/**
 * A message as sent: emails, phone and card numbers redacted (`redactText`, the rules of every event), query
 * strings (tokens in a failed URL) cut, at most 300 characters.
 */
export const scrub = (text: string): string => redactText(text).replace(/\?[^\s"'<>()]*/g, '?[query]').slice(0, 300);

/**
 * `js_error` `{ message, source, line, column }` for uncaught errors (`source`: the script URL without query or
 * hash) and unhandled promise rejections (`source: ''`). Messages are scrubbed of emails, phone and card numbers and
 * query strings. Each distinct message once per page view, 10 per page view at most. Errors from parcours'
 * own script are ignored (its code is guarded; one that escapes must not report itself in a loop). Cross-origin
 * scripts served without CORS give only `"Script error."` and no location: kept, once per page view, because how
 * often a third-party script breaks a page is a signal of its own (serve it with `crossorigin` to see details).
 */
export const jsErrors = (): Part => (api) => {
  let seen: string[] = [];
  api.onPage(() => (seen = []));
  const report = (raw: unknown, file = '', line = 0, column = 0) => {
    const source = String(file).replace(/[?#].*/, '');
    const message = scrub(String(raw ?? '') || 'unknown');
    if (/parcours/i.test(source) || seen.includes(message) || seen.length >= MAX_JS_ERRORS) return;
    seen.push(message);
    api.track('js_error', { message, source, line, column });
  };
  return all(
    listen(window, 'error', (e: ErrorEvent) => e instanceof ErrorEvent && report(e.message, e.filename, e.lineno, e.colno), api.log, false),
    listen(window, 'unhandledrejection', (e: PromiseRejectionEvent) => {
      const r = e.reason;
      report(r instanceof Error ? r.name + ': ' + r.message : r);
    }, api.log),
  );
};
