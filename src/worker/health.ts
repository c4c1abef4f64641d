/**
 * /healthz and /metrics for one process (bot, worker or all-in-one), on HEALTH_PORT:
 * 200 when every check passes, 503 with the failing ones otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics.ts';

export type HealthCheck = () => Promise<void>;

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the health server; port 0 picks a free one (tests). */
export async function startHealthServer(opts: { port: number; host?: string; role: string; checks: Record<string, HealthCheck>; metrics: Metrics }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/healthz') {
        const failed: Record<string, string> = {};
        await Promise.all(Object.entries(opts.checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), 3000);
          } catch (e) {
            failed[name] = e instanceof Error ? e.message : String(e);
          }
        }));
        const ok = Object.keys(failed).length === 0;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok, role: opts.role, pid: process.pid, uptime: Math.round(process.uptime()), ...(ok ? {} : { failed }) }));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(await opts.metrics.text());
      } else {
        res.writeHead(404).end();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(opts.port, opts.host ?? '0.0.0.0', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => { timer = setTimeout(() => rej(new Error(`no answer in ${ms} ms`)), ms); })]).finally(() => clearTimeout(timer));
}
