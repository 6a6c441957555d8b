/** Rage clicks: the customer clicks the same spot again and again because nothing seems to happen. */
import type { Part } from '../tracker';
import { guard } from '../lib/guard';
import { all, listen } from '../lib/listen';
import { selectorOf } from './selector';
import { ACTIONABLE } from './deadClick';

// PostHog's definition, which session-replay tools share within a few units (Clarity, FullStory, Sentry):
// https://posthog.com/docs/references/posthog-js/types/RageclickConfig (click_count 3, timeout_ms 1000, threshold_px 30).
/** Clicks that make a rage click, at least. */
export const RAGE_CLICKS = 3;
/** …within this many milliseconds from the first to the last. */
export const RAGE_WINDOW_MS = 1000;
/** …and this close (pixels, either axis) to the first click of the burst. */
export const RAGE_RADIUS_PX = 30;

/**
 * `rage_click` `{ clicks, selector }`: 3 or more clicks within 1 s within 30 px. One event per burst, sent when the
 * burst ends (no click for 1 s) or when the page is hidden, with every click of the burst counted. A burst that
 * leaves text selected was a triple-click to select a paragraph, not rage.
 */
export const rageClick = (): Part => (api) => {
  let times: number[] = [];
  let x = 0;
  let y = 0;
  let target: Element | null = null;
  let raging = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const end = guard(() => {
    clearTimeout(timer);
    // `isCollapsed` says whether text is selected without reading it.
    if (raging && getSelection()?.isCollapsed != false) api.track('rage_click', { clicks: times.length, selector: selectorOf(target) });
    raging = false;
    times = [];
  }, api.log);
  api.onHide(() => raging && end());
  return all(
    listen(document, 'click', (e: MouseEvent) => {
      const now = Date.now();
      if (!times.length || now - times[times.length - 1] > RAGE_WINDOW_MS || Math.abs(e.clientX - x) > RAGE_RADIUS_PX || Math.abs(e.clientY - y) > RAGE_RADIUS_PX) {
        if (raging) end();
        times = [];
        x = e.clientX;
        y = e.clientY;
        target = e.target instanceof Element ? e.target.closest(ACTIONABLE) || e.target : null;
      }
      times.push(now);
      if (times.length > 50) times.shift(); // an autoclicker must not grow the burst without bound
      if (times.length >= RAGE_CLICKS && now - times[times.length - RAGE_CLICKS] <= RAGE_WINDOW_MS) raging = true;
      if (raging) {
        clearTimeout(timer);
        timer = setTimeout(end, RAGE_WINDOW_MS);
      }
    }, api.log),
    () => clearTimeout(timer),
  );
};
