import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Browser as PwBrowser, BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';

/**
 * The three browser engines behind one small interface, so a delivery scenario is written once and run in each:
 * Chromium (playwright-core, as the other browser tests), WebKit (WebKitGTK's MiniBrowser through
 * WebKitWebDriver, W3C WebDriver classic, under an Xvfb display of its own) and Firefox ESR (puppeteer-core over
 * WebDriver BiDi). Everything listens on 127.0.0.1, every wait is bounded, `close()` ends every process started.
 */
export type EngineName = 'chromium' | 'webkit' | 'firefox';

export interface Tab {
  /** Load `url` and wait for its load event. */
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Run `fn(arg)` in the page and return its (awaited, JSON) result. */
  run<A, T>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Close the tab as a shopper does (unload handlers run). */
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  version: string;
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}

const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** What an engine needs on this machine, or null when it is all there (Chromium ships inside an npm package). */
export const missing = (name: EngineName): string | null => {
  if (name == 'webkit') {
    const absent = [WEBKIT_DRIVER, MINIBROWSER, '/usr/bin/Xvfb'].filter((f) => !existsSync(f));
    return absent.length ? absent.join(', ') + ' (apt-get install -y webkit2gtk-driver xvfb)' : null;
  }
  if (name == 'firefox') return existsSync(FIREFOX) ? null : FIREFOX + ' (apt-get install -y firefox-esr)';
  return null;
};

export const launchEngine = (name: EngineName): Promise<Engine> =>
  name == 'webkit' ? launchWebKit() : name == 'firefox' ? launchFirefox() : launchChromium();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** Calls into the page as a string: the drivers serialise the function, never close over test variables. */
const callSource = (fn: Function) => '(' + fn.toString() + ')';

/** What playwright's and puppeteer's pages have alike, as a Tab: both engines they drive are driven the same way. */
interface DevtoolsPage {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  evaluate(fn: never, arg: never): Promise<unknown>;
  close(options: { runBeforeUnload: boolean }): Promise<void>;
}
const tabOf = (page: DevtoolsPage): Tab => ({
  goto: async (url) => void (await page.goto(url)),
  reload: async () => void (await page.reload()),
  run: (fn, arg) => page.evaluate(fn as never, arg as never) as never,
  close: () => page.close({ runBeforeUnload: true }),
});

const launchChromium = async (): Promise<Engine> => {
  const browser: PwBrowser = await launchBrowser();
  const context: BrowserContext = await browser.newContext();
  return {
    name: 'chromium',
    version: browser.version(),
    async newTab() {
      return tabOf(await context.newPage());
    },
    close: () => browser.close(),
  };
};

const launchFirefox = async (): Promise<Engine> => {
  const { launch } = await import('puppeteer-core');
  const browser = await launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    timeout: 30_000,
    protocolTimeout: 30_000,
    // No network but the collector's: no updates, telemetry or remote settings during the test.
    extraPrefsFirefox: { 'network.proxy.allow_hijacking_localhost': false, 'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false },
  });
  return {
    name: 'firefox',
    version: await browser.version(),
    async newTab() {
      return tabOf(await browser.newPage());
    },
    close: () => browser.close(),
  };
};

/**
 * WebKit: WebKitWebDriver drives a MiniBrowser, which needs an X display even when nothing is looked at, so
 * an Xvfb of its own is started on a free display number and stopped with the engine.
 */
const launchWebKit = async (): Promise<Engine> => {
  const children: ChildProcess[] = [];
  const stop = () => children.forEach((c) => c.exitCode == null && c.kill('SIGKILL'));
  try {
    let display = '';
    for (let n = 99; n < 140 && !display; n++) if (!existsSync('/tmp/.X11-unix/X' + n) && !existsSync(`/tmp/.X${n}-lock`)) display = ':' + n;
    const xvfb = spawn('/usr/bin/Xvfb', [display, '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    children.push(xvfb);
    for (let i = 0; i < 50 && !existsSync('/tmp/.X11-unix/X' + display.slice(1)); i++) await sleep(100);
    const port = await freePort();
    const driver = spawn(WEBKIT_DRIVER, ['--host=127.0.0.1', '--port=' + port], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
    children.push(driver);
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(45_000),
      });
      const { value } = (await res.json()) as { value: { error?: string; message?: string } & Record<string, unknown> };
      if (value?.error) throw new Error(`WebDriver ${method} ${path}: ${value.error}: ${value.message}`);
      return value as never;
    };
    for (let i = 0; ; i++) {
      try {
        await call('GET', '/status');
        break;
      } catch (error) {
        if (i > 50) throw error;
        await sleep(100);
      }
    }
    const session = (await call('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
    })) as { sessionId: string; capabilities: { browserVersion: string } };
    const s = `/session/${session.sessionId}`;
    await call('POST', s + '/timeouts', { script: 30_000, pageLoad: 30_000 });
    // Commands act on the current window: each tab switches to its own first, one command at a time.
    let chain: Promise<unknown> = Promise.resolve();
    // The session's first window stays open on about:blank: closing a session's last window ends the session.
    const home = (await call('GET', s + '/window')) as string;
    let current = home;
    const on = <T>(handle: string, fn: () => Promise<T>): Promise<T> => {
      const next = chain.then(async () => {
        if (current != handle) await call('POST', s + '/window', { handle });
        current = handle;
        return fn();
      });
      chain = next.catch(() => {});
      return next;
    };
    return {
      name: 'webkit',
      version: session.capabilities.browserVersion,
      async newTab() {
        const { handle } = (await on(home, () => call('POST', s + '/window/new', { type: 'tab' }))) as { handle: string };
        return {
          goto: (url) => on(handle, () => call('POST', s + '/url', { url })),
          reload: () => on(handle, () => call('POST', s + '/refresh', {})),
          run: (fn, arg) =>
            on(handle, async () => {
              const script =
                'const done = arguments[1]; Promise.resolve().then(() => ' + callSource(fn) + '(arguments[0]))' +
                '.then((value) => done({ value }), (e) => done({ error: String(e) }));';
              const out = (await call('POST', s + '/execute/async', { script, args: [arg ?? null] })) as { value: never; error?: string };
              if (out?.error) throw new Error(out.error);
              return out?.value;
            }),
          close: () =>
            on(handle, async () => {
              await call('DELETE', s + '/window');
              await call('POST', s + '/window', { handle: (current = home) });
            }),
        };
      },
      async close() {
        await call('DELETE', s).catch(() => {});
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
};
