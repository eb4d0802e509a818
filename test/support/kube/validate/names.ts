// Name, label and annotation rules from apimachinery's validation package.
import type { FieldError } from '../status.js';
import { fieldErr } from '../status.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const labelMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function validateObjectName(name: string, style: 'subdomain' | 'label' | 'path', field = 'metadata.name'): FieldError[] {
  if (style === 'path') return /[/%]/.test(name) || name === '.' || name === '..' ? [fieldErr.invalid(field, name, `may not contain '/'`)] : [];
  if (style === 'label') {
    const errs: FieldError[] = [];
    if (name.length > 63) errs.push(fieldErr.invalid(field, name, 'must be no more than 63 characters'));
    if (!DNS1123_LABEL.test(name)) errs.push(fieldErr.invalid(field, name, labelMsg));
    return errs;
  }
  const errs: FieldError[] = [];
  if (name.length > 253) errs.push(fieldErr.invalid(field, name, 'must be no more than 253 characters'));
  if (!DNS1123_SUBDOMAIN.test(name)) errs.push(fieldErr.invalid(field, name, subdomainMsg));
  return errs;
}

function qualifiedName(k: string, field: string): FieldError[] {
  const parts = k.split('/');
  let name = k;
  const errs: FieldError[] = [];
  if (parts.length === 2) {
    name = parts[1]!;
    if (!parts[0] || parts[0].length > 253 || !DNS1123_SUBDOMAIN.test(parts[0])) errs.push(fieldErr.invalid(field, k, 'prefix part ' + subdomainMsg));
  } else if (parts.length > 2) return [fieldErr.invalid(field, k, "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")];
  if (!name || name.length > 63 || !QUALIFIED.test(name)) errs.push(fieldErr.invalid(field, k, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
  return errs;
}

export function validateLabels(labels: unknown, field = 'metadata.labels'): FieldError[] {
  if (labels === undefined || labels === null) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    errs.push(...qualifiedName(k, field));
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) errs.push(fieldErr.invalid(`${field}`, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
  }
  return errs;
}

export function validateAnnotations(ann: unknown, field = 'metadata.annotations'): FieldError[] {
  if (ann === undefined || ann === null) return [];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(ann as Record<string, unknown>)) {
    errs.push(...qualifiedName(k.toLowerCase(), field));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) errs.push({ type: 'FieldValueTooLong', field, detail: 'may not be more than 262144 bytes' });
  return errs;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
export function validateConfigKey(k: string, field: string): FieldError[] {
  if (k.length <= 253 && CONFIG_KEY.test(k) && k !== '.' && k !== '..' && !k.startsWith('..')) return [];
  return [fieldErr.invalid(field, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")];
}
