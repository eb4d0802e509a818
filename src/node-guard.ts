// Side-effect import, first in an entry point (cloak-controller, the dev servers): refuse an old Node in
// one line, as bin/cloak does, before any other module is evaluated. ESM evaluates imports in order, so
// this runs before a dependency fails on a missing Node API with a stack trace.
const ENTRIES: Array<[RegExp, string, string]> = [
  [/controller\/main\.js$/, 'cloak-controller', 'bin/cloak-controller'],
  [/vault\/cli\.js$/, 'dev-vault', 'npm run dev-vault'],
  [/aws\/cli\.js$/, 'dev-aws', 'npm run dev-aws'],
  [/kube\/cli\.js$/, 'dev-cluster', 'npm run dev-cluster'],
];
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  const entry = ENTRIES.find(([re]) => re.test((process.argv[1] ?? '').replaceAll('\\', '/')));
  const [, name, how] = entry ?? [undefined, 'cloak', 'bin/cloak'];
  process.stderr.write(`error: ${name} needs Node >= 22.19 (this is ${process.versions.node}); run it through ${how} after npm ci, or install Node 24 LTS\n`);
  process.exit(1);
}
export {};
