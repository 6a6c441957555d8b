// Loads a fixture page into its own happy-dom window, running its inline scripts so platform globals exist.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';

const windows: Window[] = [];
const pages = new Map<string, Document>();

/**
 * The fixture as a document (parsed once per test file and shared: detection only reads it) and `href` as a URL.
 * `fresh` gives a private copy for tests that change the page.
 */
export function load(fixture: string, href: string, fresh = false): { doc: Document; url: URL } {
  let doc = fresh ? parse(fixture, href) : pages.get(fixture);
  if (!doc) pages.set(fixture, (doc = parse(fixture, href)));
  return { doc, url: new URL(href) };
}

function parse(fixture: string, href: string): Document {
  return page(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../fixtures', fixture), 'utf8'), href);
}

/** A page from inline HTML, in its own window. */
export function page(html: string, href: string): Document {
  const win = new Window({
    url: href,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true, // our own fixture pages only
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  });
  windows.push(win);
  // Browsers make a classic script's top-level `var` a window property; happy-dom runs scripts in a function scope.
  win.document.write(html.replace(/^(\s*)var (\w+) =/gm, '$1window.$2 ='));
  return win.document as unknown as Document;
}

export async function closeAll() {
  pages.clear();
  await Promise.all(windows.splice(0).map((w) => w.happyDOM.close()));
}
