import { ServiceMetrics } from '@tsunagu/metrics';
import { HubMetrics } from './hub-metrics';

describe(HubMetrics.name, () => {
  it('exposes queue depth read at scrape time, labelled per queue and state', async () => {
    const metrics = new HubMetrics(new ServiceMetrics('hub', 'test'));
    let waiting = 3;
    metrics.watchQueue({ name: 'revocations', counts: async () => ({ waiting, active: 1, completed: 9, failed: 2, delayed: 0 }) });
    metrics.registerQueueDepth();
    expect((await metrics.service.render()).body).toMatch(/tsunagu_queue_jobs\{queue="revocations",state="waiting",service="hub",instance="test"\} 3/);
    waiting = 7;
    expect((await metrics.service.render()).body).toMatch(/state="waiting",service="hub",instance="test"\} 7/);
  });

  it('leaves a gauge empty, not the scrape failed, when its source fails', async () => {
    const metrics = new HubMetrics(new ServiceMetrics('hub', 'test'));
    metrics.watchQueue({ name: 'jpki', counts: async () => { throw new Error('redis down'); } });
    metrics.registerQueueDepth();
    metrics.grants.inc({ outcome: 'issued', reason: '' });
    const { body } = await metrics.service.render();
    expect(body).not.toMatch(/tsunagu_queue_jobs\{/);
    expect(body).toMatch(/tsunagu_grants_total\{outcome="issued",reason="",service="hub",instance="test"\} 1/);
  });
});
