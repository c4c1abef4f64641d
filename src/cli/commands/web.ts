import type { Command } from '../command.ts';
import { num } from '../command.ts';
import { configFromEnvironment } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { openStore } from '../../storage/index.ts';

const command: Command = {
  name: 'web',
  summary: "Serve the web pages alone (a server's mixtape, track pages, Discord login), or time them with --bench.",
  usage: 'web [--port N] | web --bench [--tracks N] [--requests N]',
  options: {
    port: { type: 'string', short: 'p', description: 'port to listen on', default: 'WEB_PORT or 8080' },
    bench: { type: 'boolean', description: "time the mixtape page with 10,000 tracks in a fresh database (target: median < 100 ms)" },
    tracks: { type: 'string', description: 'tracks in the benchmark database', default: '10000' },
    requests: { type: 'string', description: 'timed requests of the mixtape page', default: '200' },
  },
  async run(values) {
    if (values.bench) {
      const { benchWeb } = await import('../../web/bench.ts');
      const r = await benchWeb({ tracks: num(values, 'tracks', 10_000, 10, 100_000, true), requests: num(values, 'requests', 200, 10, 10_000, true) });
      console.log(`web: mixtape page with ${r.tracks} tracks and ${r.votes} votes (SQLite), ${r.requests} requests: median ${r.medianMs.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms (target: median < 100 ms), CPU per page ${r.cpuMedianMs.toFixed(1)} ms (server and client); track page median ${r.trackPageMedianMs.toFixed(1)} ms`);
      return;
    }
    const config = configFromEnvironment();
    const log = createLogger({ level: config.logLevel, name: 'web' });
    const store = await openStore({ databaseUrl: config.databaseUrl });
    const { startWebFromConfig } = await import('../../web/start.ts');
    const { app, url } = await startWebFromConfig(config, store, log, num(values, 'port', config.web.port ?? 8080, 0, 65535, true));
    console.log(`Mixtape web pages at ${config.web.publicUrl ?? url} (Ctrl+C stops)`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    await store.close();
  },
};

export default command;
