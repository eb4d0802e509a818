// A differential case: [template, data (default: the shared data below), options].
export interface CaseOptions {
  funcs?: 'eso' | 'sprigBitnami';
  missingKey?: 'error' | 'default' | 'zero';
  leftDelim?: string;
  rightDelim?: string;
}

export type Case = [template: string, data?: unknown, options?: CaseOptions];

/** The data most cases run against: a map[string]string as ESO and Bitnami pass it. */
export const sharedData: Record<string, string> = {
  user: 'admin',
  pass: 'hunter2',
  registry: 'registry.example.com',
  empty: '',
  num: '42',
  float: '3.25',
  json: '{"a":{"b":[1,2,{"c":"d"}]},"n":1.5,"big":12345678,"s":"x<y","t":true,"z":null}',
  yaml: 'a: 1\nb:\n  - x\n  - y\nc: yes\n',
  multi: 'line1\nline2\n',
  spaces: '  padded  ',
  'with-dash': 'dashed',
  csv: 'a,b,,c',
  b64: 'aGVsbG8=',
  unicode: 'héllo wörld ✓',
  version: '1.2.3-beta.1+build.5',
  url: 'https://user:pw@example.com:8443/path/to%20x?q=1&r=2#frag',
};
