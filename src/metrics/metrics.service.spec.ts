import perfHooks from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricsConfig } from '../config/metrics.config.js';
import { Metrics } from './metrics.service.js';

const NOT_SERVED: MetricsConfig = { port: undefined, host: '127.0.0.1', token: undefined };

describe('Metrics', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('collects the default process metrics, and samples the event loop, only when metrics are served', async () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');

    const silent = new Metrics(NOT_SERVED);
    expect(silent.enabled).toBe(false);
    expect(monitor).not.toHaveBeenCalled();
    expect(await silent.text()).not.toContain('nodejs_eventloop_lag_seconds');

    const served = new Metrics({ ...NOT_SERVED, port: 0 });
    expect(served.enabled).toBe(true);
    expect(monitor).toHaveBeenCalledTimes(1);
    const scrape = await served.text();
    expect(scrape).toContain('nodejs_eventloop_lag_seconds');
    expect(scrape).toContain('process_cpu_user_seconds_total');
  });
});
