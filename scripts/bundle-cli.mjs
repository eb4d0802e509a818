// Bundles the compiled CLI into dist/cli-bundle so `cloak seal` starts fast: one file for the
// start-up path, separate chunks for what commands import lazily, and the heavy clients left
// external so they load only in the commands that need them.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// Built beside the live bundle, then swapped in file by file with bin.js last, so a `cloak`
// already running (a test, another terminal) never finds its lazily imported chunk missing.
// Chunk names carry content hashes: ones no build has written for 10 minutes are removed.
const OUT = 'dist/cli-bundle';
const STAGE = `dist/.cli-bundle-${process.pid}`;
rmSync(STAGE, { recursive: true, force: true });

// commander imports node:child_process at load time only to spawn executable subcommands, which
// cloak has none of; loading it (and net, dgram, streams behind it) costs ~5 ms of every start.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (a) =>
      /[\\/]commander[\\/]/.test(a.importer) ? { path: 'lazy-child-process', namespace: 'cloak-lazy' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'cloak-lazy' }, () => ({
      loader: 'js',
      contents: "export default { spawn: (...a) => require('node:child_process').spawn(...a) };",
    }));
  },
};

// An ESM `import` of a builtin builds a module facade that reads every export, which runs lazy
// getters (node:process touches report, finalization, ...; node:util loads its diff and parseArgs
// code): ~10 ms per start. process.getBuiltinModule returns the same object without that.
const builtinsWithoutFacades = {
  name: 'builtins-without-facades',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => (a.namespace === 'cloak-lazy' || a.kind === 'dynamic-import' ? undefined : { path: a.path, namespace: 'cloak-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'cloak-builtin' }, (a) => ({
      loader: 'js',
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(a.path)});`,
    }));
  },
};

// fs/promises loads readline and REPL history code (~4 ms); os is needed only without $HOME. In the
// fast path they load on first call: each exported function becomes a wrapper that fetches it then.
const LAZY_BUILTINS = ['node:fs/promises', 'node:os'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => (LAZY_BUILTINS.includes(a.path) ? { path: a.path, namespace: 'cloak-lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'cloak-lazy-builtin' }, async (a) => {
      const names = Object.entries(await import(a.path)).filter(([k, v]) => k !== 'default' && typeof v === 'function').map(([k]) => k);
      const mod = `process.getBuiltinModule(${JSON.stringify(a.path)})`;
      return { loader: 'js', contents: names.map((k) => `export function ${k}(...a) { return ${mod}.${k}(...a); }`).join('\n') };
    });
  },
};

// What both builds share: minified ESM for this Node, staged beside the live bundle.
const COMMON = { outdir: STAGE, bundle: true, format: 'esm', platform: 'node', target: 'node22', minify: true, legalComments: 'none', logLevel: 'warning' };

// The fast path is one self-contained file (no shared chunks: a cold `cloak seal` loads bin.js and
// this), and `yaml` is its stand-in (cli/fast-seal/yaml-subset.ts): the shared output code then
// writes YAML without the library, and anything outside the subset falls back to the normal path.
// Its name carries a content hash like the chunks, so a running bin.js keeps finding its own.
const fastBuild = await build({
  ...COMMON,
  entryPoints: { 'fast-seal': 'dist/cli/fast-seal/index.js' },
  entryNames: '[name]-[hash]',
  metafile: true,
  splitting: false,
  alias: { yaml: './dist/cli/fast-seal/yaml-subset.js' },
  plugins: [lazyBuiltins, builtinsWithoutFacades],
});
const fastSealFile = Object.keys(fastBuild.metafile.outputs).map((p) => p.slice(p.lastIndexOf('/') + 1)).find((f) => f.startsWith('fast-seal-'));

// bin.js imports the fast `cloak seal` path (cli/fast-seal) as that separately built file.
const fastSealApart = {
  name: 'fast-seal-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/fast-seal\/index\.js$/ }, () => ({ path: `./${fastSealFile}`, external: true }));
  },
};

await build({
  ...COMMON,
  entryPoints: { bin: 'dist/cli/bin.js' },
  splitting: true,
  external: ['@kubernetes/client-node', '@aws-sdk/*', 'node-vault'],
  // yaml's "node" export is CommonJS; its ESM build is the same code and tree-shakes.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  banner: { js: "import { createRequire as __cloakRequire } from 'node:module'; const require = __cloakRequire(import.meta.url);" },
  plugins: [fastSealApart, lazyChildProcessForCommander, builtinsWithoutFacades],
});

mkdirSync(OUT, { recursive: true });
const built = readdirSync(STAGE);
const now = new Date();
for (const f of built.filter((x) => x !== 'bin.js')) {
  // mtime = when a build last produced the file: a chunk is removed 10 minutes after it stopped being built.
  if (existsSync(join(OUT, f))) { rmSync(join(STAGE, f)); utimesSync(join(OUT, f), now, now); }
  else { renameSync(join(STAGE, f), join(OUT, f)); utimesSync(join(OUT, f), now, now); }
}
copyFileSync(join(STAGE, 'bin.js'), join(STAGE, 'bin.js.next'));
renameSync(join(STAGE, 'bin.js.next'), join(OUT, 'bin.js'));
rmSync(STAGE, { recursive: true, force: true });
const keep = new Set(built);
for (const f of readdirSync(OUT)) {
  const p = join(OUT, f);
  if (!keep.has(f) && now.getTime() - statSync(p).mtimeMs > 10 * 60_000) rmSync(p, { force: true });
}
