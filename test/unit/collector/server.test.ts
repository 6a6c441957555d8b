// @vitest-environment node
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { httpError } from '../../../examples/collector/body.mjs';
import { startCollector } from '../../../examples/collector/server.mjs';
import { call } from './support';

const SERVER = fileURLToPath(new URL('../../../examples/collector/server.mjs', import.meta.url));

/** Runs node with args; resolves with its output and exit code, killing it after `ms`. */
function run(args: string[], { ms = 10_000, onLine }: { ms?: number; onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void } = {}) {
  return new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      if (onLine && out.includes('\n')) onLine(out.split('\n')[0], (signal) => child.kill(signal));
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

describe('the command line', () => {
  it('prints one line with the URL, serves, and exits cleanly on SIGTERM with the database closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parcours-cli-'));
    const db = join(dir, 'cli.db');
    let health: number | undefined;
    try {
      const result = await run([SERVER, '--port', '0', '--db', db, '--origin', 'https://shop.example'], {
        onLine: async (line, kill) => {
          const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
          if (url && health === undefined) {
            health = 0;
            health = (await call(url, '/health')).status;
            kill('SIGTERM');
          }
        },
      });
      expect(result.out).toMatch(/^parcours collector listening on http:\/\/127\.0\.0\.1:\d+ \(db: .*cli\.db; no read key: reads open on this machine only\)\n$/);
      expect(health).toBe(200);
      expect([result.code, result.signal, result.err]).toEqual([0, null, '']);
      // Closed cleanly: the WAL was checkpointed and removed, and the schema is there.
      expect(existsSync(db + '-wal')).toBe(false);
      const check = new Database(db, { readonly: true });
      expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'events'").get()).toEqual({ name: 'events' });
      check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port with usage and exit code 2', async () => {
    const result = await run([SERVER, '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--port must be an integer/);
  });

  it('starts nothing when imported', async () => {
    // A listening server would keep the process alive until the timeout kills it.
    const result = await run(['--input-type=module', '-e', `await import(${JSON.stringify(SERVER)}); console.log('imported')`], { ms: 5000 });
    expect([result.code, result.out]).toEqual([0, 'imported\n']);
  });
});

describe('startCollector', () => {
  it('resolves to a listening server and closes it, its connections and its database', async () => {
    const collector = await startCollector();
    expect(collector.url).toBe(`http://127.0.0.1:${collector.port}`);
    expect((await call(collector.url, '/health')).status).toBe(200); // leaves a keep-alive socket open
    await collector.close();
    await collector.close(); // idempotent
    expect(collector.db.open).toBe(false);
    const attempt = await new Promise((resolve) => {
      const socket = connect(collector.port, '127.0.0.1', () => resolve(socket.destroy() && 'connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(attempt).toBe('ECONNREFUSED');
  });

  it('takes clients that hang up mid-upload in its stride, without logging a server error', async () => {
    const lines: string[] = [];
    const collector = await startCollector({ log: (line) => lines.push(line) });
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((done) => {
          const socket = connect(collector.port, '127.0.0.1', () => {
            socket.write('POST /collect HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{"sentAt":');
            setTimeout(() => done(void socket.destroy()), 20);
          });
        });
      }
      expect((await call(collector.url, '/health')).status).toBe(200);
      expect(lines).toEqual([]);
    } finally {
      await collector.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const { port } = blocker.address() as { port: number };
    await expect(startCollector({ port })).rejects.toThrow(/EADDRINUSE/);
    blocker.close();
  });
});

describe('added routes', () => {
  it('run after the built-in ones with the database, the URL and the body reader', async () => {
    const collector = await startCollector({
      routes: [
        {
          method: 'POST',
          path: '/v1/batch',
          handler: async (req, res, ctx) => {
            const body = JSON.parse(await ctx.readBody());
            ctx.db.prepare("INSERT INTO events (id, type, ts, received_at, event) VALUES (?, 'track', 0, 0, '{}')").run(body.messageId);
            ctx.sendJson(200, { success: true, key: ctx.url.searchParams.get('key') });
          },
        },
        { method: 'GET', path: /^\/journey\/[\w-]+$/, handler: (req, res, ctx) => ctx.sendText(200, `journey ${ctx.url.pathname.slice(9)}`) },
        { method: 'GET', path: '/boom', handler: () => Promise.reject(new Error('exploded')) },
        { method: 'GET', path: '/teapot', handler: () => { throw httpError(418, 'short and stout'); } },
        { method: 'GET', path: '/health', handler: (req, res, ctx) => ctx.sendText(200, 'shadowed') },
      ],
      log: (line) => lines.push(line),
    });
    const lines: string[] = [];
    try {
      const batch = await call(collector.url, '/v1/batch?key=k1', { method: 'POST', body: JSON.stringify({ messageId: 'm-1' }) });
      expect(JSON.parse(batch.text)).toEqual({ success: true, key: 'k1' });
      expect(collector.db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'm-1' }]);
      expect((await call(collector.url, '/journey/s-42')).text).toBe('journey s-42\n');
      const boom = await call(collector.url, '/boom');
      expect([boom.status, JSON.parse(boom.text)]).toEqual([500, { error: 'internal error' }]);
      expect(lines.some((l) => l.startsWith('error on GET /boom') && l.includes('exploded'))).toBe(true);
      const teapot = await call(collector.url, '/teapot');
      expect([teapot.status, JSON.parse(teapot.text)]).toEqual([418, { error: 'short and stout' }]);
      expect((await call(collector.url, '/v1/batch')).status).toBe(405);
      expect(JSON.parse((await call(collector.url, '/health')).text)).toEqual({ ok: true }); // built-ins come first
    } finally {
      await collector.close();
    }
  });

  it('may limit the body size they read', async () => {
    const collector = await startCollector({
      routes: [{ method: 'POST', path: '/small', handler: async (req, res, ctx) => ctx.sendText(200, await ctx.readBody(10)) }],
    });
    try {
      expect((await call(collector.url, '/small', { method: 'POST', body: '0123456789' })).text).toBe('0123456789\n');
      expect((await call(collector.url, '/small', { method: 'POST', body: '0123456789A' })).status).toBe(413);
    } finally {
      await collector.close();
    }
  });
});
