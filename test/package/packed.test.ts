/**
 * The package as a user installs it: `npm pack`, installed into an empty project from the tarball
 * (its dependencies from the npm cache, else the registry), imported by name and type-checked with
 * skipLibCheck off. Needs dist/ built, as `npm ci` does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const consumer = mkdtempSync(join(tmpdir(), 'cpmsim-consumer-'));
const installed = join(consumer, 'node_modules/cpmsim');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function run(command: string, args: string[], cwd = consumer): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

beforeAll(() => {
  run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', consumer], root);
  const tarball = readdirSync(consumer).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-save', `./${tarball}`]);
}, 300_000);

describe('the packed package', () => {
  it('is imported by name and runs a bundled scenario', () => {
    const script = `import { loadScenarioFile, runScenario } from 'cpmsim';
const run = runScenario(loadScenarioFile('node_modules/cpmsim/scenarios/appendix-c/c-1-1-client-registering.yaml'));
console.log(run.passed, run.alignment.length);`;
    writeFileSync(join(consumer, 'use.mjs'), script);
    expect(run('node', ['use.mjs']).trim()).toBe('true 8');
  }, 60_000);

  it('exports only its entry points, not dist/ files', () => {
    writeFileSync(join(consumer, 'deep.mjs'), "import('cpmsim/dist/index.js').then(() => console.log('imported'), (e) => console.log(e.code));");
    expect(run('node', ['deep.mjs']).trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    writeFileSync(join(consumer, 'schema.mjs'), "import { createRequire } from 'node:module'; console.log(createRequire(import.meta.url)('cpmsim/schema/scenario.schema.json').title);");
    expect(run('node', ['schema.mjs']).trim()).toBe('cpmsim scenario');
  });

  it('type-checks with skipLibCheck off: the types of its public dependencies come with it', () => {
    expect(existsSync(join(consumer, 'node_modules/@types/sdp-transform/package.json'))).toBe(true);
    writeFileSync(join(consumer, 'use.ts'), "import { loadScenarioText, type ScenarioSpec } from 'cpmsim';\nexport const load: (text: string, file: string) => ScenarioSpec = loadScenarioText;\n");
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types'), 'use.ts'];
    expect(run('node', [tsc, ...args])).toBe('');
  }, 120_000);

  it('has its command, its LICENSE and the docs its README links to', () => {
    expect(run('node', [join(installed, 'bin/cpmsim.js'), '--version']).trim()).toBe(version);
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const links = [...readFileSync(join(installed, 'README.md'), 'utf8').matchAll(/\]\(((?:docs|schema)\/[^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !existsSync(join(installed, link)))).toEqual([]);
    expect(readdirSync(join(installed, 'scenarios/appendix-c')).filter((f) => f.endsWith('.golden'))).toEqual([]);
  });
});
