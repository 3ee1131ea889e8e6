import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The hub's folder layering (docs/architecture.md): each top-level folder of apps/hub/src may
 * import only from folders before it in this list (and from itself). Files at the root
 * (main.ts, hub.app.ts, hub.module.ts, …) compose everything and may import anything.
 */
export const HUB_LAYERS = [
  'platform', 'audit', 'operations', 'tenancy', 'identity', 'links', 'catalog', 'consent', 'exchange', 'lifecycle', 'compliance', 'statistics', 'portal', 'backoffice', 'seed',
] as const;

/** Files that are a feature's user interface: only their own folder (and module wiring) may import them. */
const UI_FILE = /\.(views|layout|controller|filter|script)\.ts$/;

const ROOT_FOLDER = '(root)';

export interface ImportEdge {
  from: string;
  to: string;
  fromFolder: string;
  toFolder: string;
}

export interface Violation {
  edge: ImportEdge;
  rule: 'upward' | 'unknown-folder' | 'foreign-ui';
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function resolveImport(fromFile: string, specifier: string): string | undefined {
  const base = normalize(join(dirname(fromFile), specifier));
  return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

function folderOf(srcDir: string, file: string): string {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? parts[0] : ROOT_FOLDER;
}

/** Every relative import between two files of `srcDir`, with the top-level folder of each end. */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of walk(srcDir)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(SPECIFIER)) {
      const target = resolveImport(file, match[2]);
      if (!target || relative(srcDir, target).startsWith('..')) continue;
      edges.push({ from: relative(srcDir, file), to: relative(srcDir, target), fromFolder: folderOf(srcDir, file), toFolder: folderOf(srcDir, target) });
    }
  }
  return edges;
}

/**
 * The broken rules: an import from a lower folder up to a higher one (which would also allow a
 * cycle between folders), a folder missing from the layering, and a feature importing another
 * folder's screens. Specs may reach anything they test, so they are left out of the UI rule only.
 */
export function layerViolations(edges: ImportEdge[], layers: readonly string[] = HUB_LAYERS): Violation[] {
  const rank = (folder: string) => (folder === ROOT_FOLDER ? layers.length : layers.indexOf(folder));
  const violations: Violation[] = [];
  for (const edge of edges) {
    if (edge.fromFolder === edge.toFolder) continue;
    if (rank(edge.fromFolder) < 0 || rank(edge.toFolder) < 0) violations.push({ edge, rule: 'unknown-folder' });
    else if (rank(edge.toFolder) > rank(edge.fromFolder)) violations.push({ edge, rule: 'upward' });
    else if (UI_FILE.test(edge.to) && edge.fromFolder !== ROOT_FOLDER && !edge.from.endsWith('.module.ts') && !edge.from.endsWith('.spec.ts')) {
      violations.push({ edge, rule: 'foreign-ui' });
    }
  }
  return violations;
}

/** The folder graph (one arrow per folder pair, with the number of imports) as a Mermaid flowchart. */
export function mermaid(edges: ImportEdge[]): string {
  const counts = new Map<string, number>();
  for (const e of edges) {
    if (e.fromFolder === e.toFolder || e.from.endsWith('.spec.ts')) continue;
    const key = `${e.fromFolder} --> ${e.toFolder}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const id = (folder: string) => (folder === ROOT_FOLDER ? 'root["(root)"]' : folder);
  const lines = [...counts.entries()].sort().map(([key, n]) => {
    const [from, to] = key.split(' --> ');
    return `  ${id(from)} -->|${n}| ${id(to)}`;
  });
  return ['flowchart TD', ...lines].join('\n');
}

/** `npm run graph`: prints the folder graph of apps/hub/src and its violations; exits 1 on any. */
function main(): void {
  const root = join(__dirname, '..', '..');
  const edges = importEdges(join(root, 'apps', 'hub', 'src'));
  process.stdout.write(`${mermaid(edges)}\n`);
  const violations = layerViolations(edges);
  for (const v of violations) process.stdout.write(`${v.rule}: ${v.edge.from} -> ${v.edge.to}\n`);
  process.exitCode = violations.length ? 1 : 0;
}

if (require.main === module) main();
