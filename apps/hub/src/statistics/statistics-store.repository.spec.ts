import type { DataSource } from 'typeorm';
import { computeAnswer, type StatisticsTableSpec } from '@tsunagu/statistics';
import { openTestDataSource } from '@tsunagu/testing';
import { StatisticsReleasesService } from './statistics-releases.service';
import { StatisticsStoreRepository } from './statistics-store.repository';

/** The store against the real PostgreSQL: a checked answer is kept in a table of its own; a refused one leaves nothing. */
describe(StatisticsReleasesService.name, () => {
  let db: DataSource;
  let service: StatisticsReleasesService;
  let store: StatisticsStoreRepository;
  const provider = '00000000-0000-4000-8000-000000000001';
  const spec: StatisticsTableSpec = {
    aggregate: 'mean', k: 10,
    dimensions: [{ name: 'municipality', values: ['tottori', 'misasa'] }, { name: 'month', values: ['2026-10', '2026-11'] }],
  };
  const residents = [
    ...Array.from({ length: 30 }, (_, i) => [{ key: ['tottori', '2026-10'], value: 5000 + i }, { key: ['tottori', '2026-11'], value: 6000 }]),
    ...Array.from({ length: 4 }, () => [{ key: ['misasa', '2026-10'], value: 9000 }]),
    ...Array.from({ length: 15 }, () => [{ key: ['misasa', '2026-11'], value: 7000 }]),
  ];
  const grant = { dataUseCode: 'pref.steps-ebpm', period: { from: '2026-10', to: '2026-11' }, spec, providerServiceId: provider };

  beforeAll(async () => {
    db = await openTestDataSource([], 'statistics');
    store = new StatisticsStoreRepository(db);
    service = new StatisticsReleasesService(store);
  });
  afterAll(() => db?.destroy());

  it('keeps a checked answer with its parameters, reads it back in grid order, and exports CSV and DCAT', async () => {
    const answer = computeAnswer(spec, residents);
    const outcome = await service.accept(grant, answer);
    expect(outcome).toMatchObject({ status: 'stored', release: { dataUseCode: 'pref.steps-ebpm', k: 10, entries: 9, epsilon: null } });
    const { release } = outcome as { release: { id: string; suppressed: number } };
    expect(release.suppressed).toBeGreaterThanOrEqual(2);
    expect((await store.entries(release.id)).map((e) => ({ ...e, value: e.value ?? undefined }))).toEqual(answer.entries.map((e) => ({ ...e, value: e.value ?? undefined })));
    expect(await store.list('pref.steps-ebpm')).toHaveLength(1);
    // The same period again from the same provider is not a second release.
    expect(await service.accept(grant, answer)).toEqual({ status: 'duplicate' });

    const csv = (await service.csv(release.id))!;
    expect(csv.startsWith('\uFEFFmunicipality,month,contributors,mean,suppressed\r\n')).toBe(true);
    // Misasa's 4 of October hide the whole 2 × 2 inside (complements along both lines); the totals remain.
    expect(csv).toContain('tottori,*,60,5507.25,false');
    expect(csv).toContain('misasa,2026-10,,,true');
    const dcat = (await service.dcat(release.id, 'https://hub.example.jp/statistics/x.csv', { name: '鳥取県' }))!;
    expect(dcat).toMatchObject({ '@type': 'dcat:Dataset', 'dct:publisher': { 'foaf:name': '鳥取県' }, 'dcat:distribution': [{ 'dcat:mediaType': 'text/csv' }] });
    expect(await service.csv('00000000-0000-4000-8000-00000000ffff')).toBeUndefined();
  });

  it('refuses an answer with identifiers or a recoverable suppression and keeps nothing of it', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'statistics'`))[0].n;
    const answer = computeAnswer(spec, residents);
    const withIds = { entries: answer.entries.map((e, i) => (i ? e : { ...e, residents: ['C-1'] })) };
    expect(await service.accept({ ...grant, period: { from: '2026-12', to: '2026-12' } }, withIds)).toMatchObject({ status: 'refused', violations: [{ code: 'answer_malformed' }] });
    const leaky = { entries: answer.entries.map((e) => (e.key[0] === 'misasa' && e.key[1] === '2026-10' ? { ...e, contributors: 4, value: 9000 } : e)) };
    const refused = await service.accept({ ...grant, period: { from: '2027-01', to: '2027-01' } }, leaky);
    expect(refused).toMatchObject({ status: 'refused' });
    expect((refused as { violations: { code: string }[] }).violations.map((v) => v.code)).toContain('cell_under_k');
    expect((await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'statistics'`))[0].n).toBe(before);
  });
});
