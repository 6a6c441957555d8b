/**
 * dist/parcours-signals.min.js: web vitals, frictions (rage and dead clicks, form and JavaScript errors, checkout
 * abandonment) and engagement for the script tag, loaded by parcours.min.js from next to itself. web-vitals reads
 * buffered performance entries, so loading after the page costs no measurement.
 */
import { engagement, frictions, vitals } from '../signals';

try {
  (window as { parcours?: { _add?: Function } }).parcours?._add?.('signals', { vitals, frictions, engagement });
} catch {}
