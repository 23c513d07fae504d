import type { ValidationErrors } from './flai.errors.js';
import { isRecord } from './flai.util.js';

/** Laravel shows `import_datasource.credentials.ftp_port` as "import datasource.credentials.ftp port". */
function attr(field: string): string {
  return field.replace(/_/g, ' ');
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** A tiny rule runner that writes Laravel's default validation messages. */
export class Validator {
  readonly errors: ValidationErrors = {};

  constructor(private readonly data: Record<string, unknown>) {}

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  get(field: string): unknown {
    let v: unknown = this.data;
    for (const part of field.split('.')) v = isRecord(v) ? v[part] : Array.isArray(v) ? v[Number(part)] : undefined;
    return v;
  }

  required(field: string): boolean {
    if (isBlank(this.get(field))) {
      this.add(field, `The ${attr(field)} field is required.`);
      return false;
    }
    return true;
  }

  string(field: string, max = 255): void {
    const v = this.get(field);
    if (v === undefined || v === null) return;
    if (typeof v !== 'string') this.add(field, `The ${attr(field)} must be a string.`);
    else if (v.length > max) this.add(field, `The ${attr(field)} must not be greater than ${max} characters.`);
  }

  boolean(field: string): void {
    const v = this.get(field);
    if (v === undefined || v === null) return;
    if (![true, false, 0, 1, '0', '1'].includes(v as never)) this.add(field, `The ${attr(field)} field must be true or false.`);
  }

  integer(field: string): void {
    const v = this.get(field);
    if (v === undefined || v === null) return;
    const ok = (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v));
    if (!ok) this.add(field, `The ${attr(field)} must be an integer.`);
  }

  in(field: string, allowed: readonly string[]): void {
    const v = this.get(field);
    if (v === undefined || v === null) return;
    if (typeof v !== 'string' || !allowed.includes(v)) this.add(field, `The selected ${attr(field)} is invalid.`);
  }

  object(field: string): boolean {
    const v = this.get(field);
    if (v === undefined || v === null) return false;
    if (!isRecord(v)) {
      this.add(field, `The ${attr(field)} must be an array.`);
      return false;
    }
    return true;
  }

  /** Laravel's wording for a failed `exists:` rule. */
  invalid(field: string): void {
    this.add(field, `The selected ${attr(field)} is invalid.`);
  }
}

export const DATASET_TYPES = ['pointcloud', 'vector', 'raster', 'image'] as const;
export const UNITS = ['m', 'ft', 'us-ft', 'deg'] as const;
export const READ_WRITE_MODES = ['r', 'w', 'rw'] as const;
export const DATASOURCE_TYPES = ['ftp', 's3', 'upload_storage_tmp'] as const;

/**
 * S3 credential keys are [UNKNOWN] (the blog only shows FTP). We chose the FTP keys' naming
 * pattern: `s3_access_key_id`, `s3_secret_access_key`, `s3_bucket` (required), `s3_region`,
 * `s3_endpoint` (optional).
 */
export const S3_REQUIRED_KEYS = ['s3_access_key_id', 's3_secret_access_key', 's3_bucket'] as const;
export const S3_OPTIONAL_KEYS = ['s3_region', 's3_endpoint'] as const;

/** Validates `POST organization/{org}/datasets` (body as in the blog + SDK models). */
export function validateDatasetCreate(body: Record<string, unknown>): ValidationErrors | null {
  const v = new Validator(body);
  if (v.required('dataset_name')) v.string('dataset_name');
  v.string('description', 5000);
  if (v.required('dataset_type_key')) v.in('dataset_type_key', DATASET_TYPES);
  v.in('unit', UNITS);
  v.integer('srid');
  v.boolean('is_public');
  v.boolean('is_annotated');
  v.in('read_write_mode', READ_WRITE_MODES);
  v.string('semantic_definition_schema_id');
  if (v.required('import_datasource') && v.object('import_datasource')) {
    const type = v.get('import_datasource.datasource_type');
    if (v.required('import_datasource.datasource_type')) v.in('import_datasource.datasource_type', DATASOURCE_TYPES);
    v.string('import_datasource.datasource_address', 1000);
    v.string('import_datasource.ftp_datasource_address', 1000);
    if (v.required('import_datasource.path')) v.string('import_datasource.path', 1000);
    if (type === 'ftp' || type === 's3') validateCredentials(v, type);
    // The SDK sends "/" with the uploaded file's `end_filename` as the path (docs/vendors.md, "Flai: direct upload").
    if (type === 'upload_storage_tmp' && v.get('import_datasource.datasource_address') !== '/') {
      v.add('import_datasource.datasource_address', 'The import datasource.datasource address must be "/" for upload_storage_tmp.');
    }
  }
  return v.ok ? null : v.errors;
}

function validateCredentials(v: Validator, type: 'ftp' | 's3'): void {
  const c = 'import_datasource.credentials';
  if (!v.required(c) || !v.object(c)) return;
  if (type === 'ftp') {
    for (const k of ['ftp_username', 'ftp_password']) if (v.required(`${c}.${k}`)) v.string(`${c}.${k}`);
    v.integer(`${c}.ftp_port`);
    v.boolean(`${c}.ftp_secure`);
    return;
  }
  for (const k of S3_REQUIRED_KEYS) if (v.required(`${c}.${k}`)) v.string(`${c}.${k}`);
  for (const k of S3_OPTIONAL_KEYS) v.string(`${c}.${k}`, 1000);
}
