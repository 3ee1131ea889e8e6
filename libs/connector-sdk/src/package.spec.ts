import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTOR_ERROR_CODES } from '@tsunagu/contracts';
import { SDK_ONLY_ERROR_CODES } from './errors';

const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string; main: string; types: string; files: string[]; dependencies?: Record<string, string>; scripts: Record<string, string>;
};
const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { outDir: string; rootDir: string; paths: Record<string, string[]> } };

describe('the @tsunagu/connector-sdk package', () => {
  it('is named, typed and built into what it points at, with no dependencies', () => {
    expect(manifest.name).toBe('@tsunagu/connector-sdk');
    // rootDir is libs/, so the entry point lands under dist/connector-sdk/src.
    expect(build.compilerOptions).toMatchObject({ rootDir: '..', outDir: 'dist' });
    expect(manifest.main).toBe('dist/connector-sdk/src/index.js');
    expect(manifest.types).toBe('dist/connector-sdk/src/index.d.ts');
    expect(manifest.files).toEqual(expect.arrayContaining(['dist/**/*.js', 'dist/**/*.d.ts', 'README.md']));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.scripts.prepack).toBe('npm run build');
  });

  it('carries only the runtime-free part of the contracts', () => {
    const surface = build.compilerOptions.paths['@tsunagu/contracts'];
    expect(surface).toEqual(['../contracts/src/connector-sdk-surface.ts']);
    const modules = [...readFileSync(join(root, surface[0]), 'utf8').matchAll(/from '\.\/([a-z-]+)'/g)].map((m) => m[1]);
    expect(modules.length).toBeGreaterThan(0);
    for (const module of ['connector-sdk-surface', ...modules]) {
      const file = join(root, '..', 'contracts', 'src', `${module}.ts`);
      expect(existsSync(file)).toBe(true);
      // Only relative imports of other runtime-free modules, or none at all: no ajv, no jose, no node:.
      const imports = [...readFileSync(file, 'utf8').matchAll(/^import .* from '([^']+)'/gm)].map((m) => m[1]);
      expect(imports.filter((i) => !i.startsWith('./'))).toEqual([]);
    }
  });

  it('lists every error code a ConnectorSdkError can carry in its README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const code of [...CONNECTOR_ERROR_CODES, ...SDK_ONLY_ERROR_CODES]) expect(readme).toContain(`\`${code}\``);
    // Japanese first, English after.
    expect(readme.indexOf('インストール')).toBeLessThan(readme.indexOf('## Install'));
  });
});
