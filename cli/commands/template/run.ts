// `cloak template`: read the template and the JSON data, render, print the bytes exactly.
// User patterns run here: linear-time regexps first (src/regexp-guard.ts).
import '../../../src/regexp-guard.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inputError } from '../../../src/errors.js';
import { renderTemplate } from '../../../src/gotemplate/index.js';
import { checkTree } from '../../../src/manifests/documents.js';
import { readInput } from '../../shared/input.js';
import type { CliIo } from '../../io.js';
import type { TemplateFlags } from './index.js';

export async function runTemplate(io: CliIo, f: TemplateFlags): Promise<void> {
  const template = await readInput(io, f.file, 'the template');
  const data = await readData(io, f.data);
  const funcs = f.funcs === 'bitnami' ? 'sprigBitnami' : 'eso';
  const out = renderTemplate(template.text, data, {
    funcs,
    name: f.file && f.file !== '-' ? f.file : 'template',
    missingKey: f.missingkey ?? (funcs === 'eso' ? 'error' : 'default'),
    leftDelim: f.leftDelim,
    rightDelim: f.rightDelim,
  });
  io.stdout(out);
}

async function readData(io: CliIo, file: string): Promise<Record<string, unknown>> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw inputError('UnreadableFile', e.code === 'ENOENT' ? 'file not found' : `cannot read file (${e.code ?? e.message})`, { subject: file, hint: 'check the path given with --data' });
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw inputError('InvalidData', 'not valid JSON', { subject: file, hint: 'pass a JSON object such as {"password":"..."}' });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw inputError('InvalidData', 'must be a JSON object of values', { subject: file, hint: 'pass a JSON object such as {"password":"..."}' });
  }
  checkTree(data, file);
  return data as Record<string, unknown>;
}
