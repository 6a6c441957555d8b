/**
 * dist/parcours-segment.min.js: the Segment wire format, loaded by parcours.min.js only with
 * `data-format="segment"`. Until it has registered here, the tracker keeps every event in its queue.
 */
import { segmentFormat } from '../format/segment';

try {
  (window as { parcours?: { _format?: Function } }).parcours?._format?.(segmentFormat);
} catch {}
