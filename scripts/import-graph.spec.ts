import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUB_LAYERS, type ImportEdge, importEdges, layerViolations } from './import-graph';

const ROOT = join(__dirname, '..');

describe('hub import graph', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, fromFolder: from.split('/')[0], toFolder: to.split('/')[0] });

  it('has no upward import, no unknown folder and no feature importing another folder\'s screens', () => {
    const violations = layerViolations(importEdges(join(ROOT, 'apps', 'hub', 'src')));
    expect(violations.map((v) => `${v.rule}: ${v.edge.from} -> ${v.edge.to}`)).toEqual([]);
  });

  it('finds an upward import, an unlisted folder and a foreign screen', () => {
    expect(layerViolations([edge('identity/jpki/jpki.service.ts', 'portal/portal.layout.ts')]).map((v) => v.rule)).toEqual(['upward']);
    expect(layerViolations([edge('misc/x.ts', 'platform/config/hub.config.ts')]).map((v) => v.rule)).toEqual(['unknown-folder']);
    expect(layerViolations([edge('backoffice/x.service.ts', 'identity/interaction/interaction.views.ts')]).map((v) => v.rule)).toEqual(['foreign-ui']);
    expect(layerViolations([edge('portal/portal.module.ts', 'identity/interaction/interaction.controller.ts'), edge('exchange/grants.service.ts', 'tenancy/permissions/api-permissions.service.ts')])).toEqual([]);
  });

  it('is the layering docs/architecture.md describes', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const line = doc.split('\n').find((l) => l.startsWith('Layers, lowest first:'));
    expect(line?.replace('Layers, lowest first:', '').split('→').map((s) => s.replace(/[`.]/g, '').trim())).toEqual([...HUB_LAYERS]);
  });
});
