/**
 * Signals: page speed per touchpoint, frictions, checkout abandonment and engagement, each a part of the tracker
 * (`createTracker({ parts: [signals()] })`), each one file in this folder.
 */
import type { Part } from '../tracker';
import { vitals } from './vitals';
import { rageClick } from './rageClick';
import { deadClick } from './deadClick';
import { formErrors } from './formErrors';
import { jsErrors } from './jsErrors';
import { checkoutAbandoned } from './checkoutAbandoned';
import { engagement } from './engagement';
import { guard } from '../lib/guard';
import { all } from '../lib/listen';

export { vitals, rageClick, deadClick, formErrors, jsErrors, checkoutAbandoned, engagement };

// Several parts as one; a part that fails to start (logged) does not stop the others.
const combine =
  (parts: Part[]): Part =>
  (api) =>
    all(...parts.map((part) => guard(part, api.log)(api) || (() => {})));

/** The friction parts together: rage clicks, dead clicks, form errors, JavaScript errors, checkout abandonment. */
export const frictions = (): Part => combine([rageClick(), deadClick(), formErrors(), jsErrors(), checkoutAbandoned()]);

/** Which groups of signals `signals()` starts; all by default. */
export interface SignalOptions {
  /** `web_vital`. Switched off, web-vitals still ships: import the other groups' factories to leave it out. */
  vitals?: boolean;
  /** `rage_click`, `dead_click`, `form_error`, `js_error`, `checkout_abandoned`. */
  frictions?: boolean;
  /** `scroll_depth`, `media_interaction`, `reviews_seen`, `engagement`. */
  engagement?: boolean;
}

/** Every signal, or the groups `options` leaves on (`{ vitals: false }` turns web vitals off). */
export const signals = (options: SignalOptions = {}): Part =>
  combine(
    ([
      [options.vitals, vitals],
      [options.frictions, frictions],
      [options.engagement, engagement],
    ] as const)
      .filter(([on]) => on !== false)
      .map(([, part]) => part()),
  );
