/**
 * Page speed per touchpoint: one `web_vital` event per Core Web Vital (LCP, INP, CLS) and per loading metric
 * (FCP, TTFB) of a page view, measured by Google's web-vitals library with its default, final reporting.
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricType } from 'web-vitals';
import type { PageInfo } from '../types';
import type { Part } from '../tracker';
import { guard } from '../lib/guard';

/** A web-vitals reporter (`onLCP`, …): calls back with the metric once its value is final. */
export type MetricSource = (report: (metric: MetricType) => void) => void;

// SPA navigations remembered for INP attribution, at most (a long-lived SPA must not grow without bound).
const MAX_ROUTES = 50;

/**
 * `web_vital` `{ name, value, rating, navigationType, page_type, step?, delta? }`.
 *
 * Each metric is reported once, when web-vitals deems it final (LCP, FCP, TTFB once loaded or on the first input;
 * CLS and INP when the page is first hidden). Only if the customer comes back to the tab and the page gets worse
 * does web-vitals report CLS or INP again: that later event carries `delta`, the increase, so the last (largest)
 * value per page view is the page's value. A restore from the back/forward cache is a new page view with
 * `navigationType: 'back-forward-cache'`.
 *
 * Metrics belong to the document, and the tracker tags events with the page current when they are sent, so each
 * event names its own page in `page_type` and `step`: the page where the page view started (a single-page app's
 * later routes are not measured anew, the browser has no per-route LCP), and for INP the route that was showing
 * when the slowest interaction happened. Adds no observer of its own: web-vitals' are the only ones.
 */
export const vitals =
  (sources: MetricSource[] = [onTTFB, onFCP, onLCP, onCLS, onINP] as MetricSource[]): Part =>
  (api) => {
    let live = true;
    // The first page the pages part detected: set before this part started, or on its first `onPage`.
    let origin: PageInfo | undefined = api.page().source && api.page();
    const routes: [at: number, page: PageInfo][] = [];
    api.onPage((page) => {
      origin ||= page;
      if (routes.push([performance.now(), page]) > MAX_ROUTES) routes.shift();
    });
    // Called from web-vitals' observers: nothing may throw out of it into the page.
    const report = guard((m: MetricType) => {
      if (!live) return;
      const at = m.name == 'INP' ? m.entries[0]?.startTime : undefined;
      const page =
        m.navigationType == 'back-forward-cache'
          ? api.page() // the restored page is a new page view of whatever route is showing
          : (at != null && routes.filter((r) => r[0] <= at).pop()?.[1]) || origin || api.page();
      const round = (v: number) => (m.name == 'CLS' ? Math.round(v * 1e4) / 1e4 : Math.round(v));
      api.track('web_vital', {
        name: m.name,
        value: round(m.value),
        rating: m.rating,
        navigationType: m.navigationType,
        page_type: page.type,
        step: page.step,
        delta: m.delta != m.value ? round(m.delta) : undefined,
      });
    }, api.log);
    // A browser without the APIs a metric needs gets no reporter for it, never an error.
    for (const on of sources)
      try {
        on(report);
      } catch (e) {
        api.log('vitals: ' + e);
      }
    return () => {
      live = false; // web-vitals has no unsubscribe
    };
  };
