import { Field, InputType, Int } from 'type-graphql';
import { DatasetType } from './dataset-type.enum.js';

@InputType('FtpImportInput', { description: 'Where Flai fetches a new dataset from over FTP. The password is write-only: never stored or echoed by the gateway.' })
export class FtpImportInput {
  @Field(() => String, { description: 'FTP host name.' })
  host!: string;

  @Field(() => Int, { nullable: true, description: 'FTP port (default 21).' })
  port?: number | null;

  @Field(() => String, { description: 'FTP user name.' })
  username!: string;

  @Field(() => String, { description: 'FTP password (write-only).' })
  password!: string;

  @Field(() => Boolean, { nullable: true, description: 'Use FTPS.' })
  secure?: boolean | null;

  @Field(() => String, { description: 'Folder or file path on the server.' })
  path!: string;
}

/**
 * Flai documents only its FTP credential keys; the S3 keys each field names are our choice, after the
 * FTP keys' pattern (docs/vendors.md, "Flai: dataset import").
 */
const S3_KEYS_NOTE = "Flai does not document its S3 credential keys: this one is the gateway's choice, after the FTP keys' pattern.";

@InputType('S3ImportInput', {
  description:
    "Where Flai fetches a new dataset from in S3. The secret is write-only: never stored or echoed by the gateway. Flai documents only its FTP credential keys: the S3 keys each field names (`s3_bucket`, `s3_region`, `s3_endpoint`, `s3_access_key_id`, `s3_secret_access_key`) are the gateway's choice, after the FTP keys' pattern.",
})
export class S3ImportInput {
  @Field(() => String, { description: `Bucket name; sent as \`credentials.s3_bucket\` (and \`datasource_address: s3://<bucket>\`). ${S3_KEYS_NOTE}` })
  bucket!: string;

  @Field(() => String, { nullable: true, description: `Bucket region, e.g. \`eu-central-1\`; sent as \`credentials.s3_region\`. ${S3_KEYS_NOTE}` })
  region?: string | null;

  @Field(() => String, { nullable: true, description: `Endpoint of an S3-compatible store (default AWS); sent as \`credentials.s3_endpoint\`. ${S3_KEYS_NOTE}` })
  endpoint?: string | null;

  @Field(() => String, { description: `Access key id; sent as \`credentials.s3_access_key_id\`. ${S3_KEYS_NOTE}` })
  accessKeyId!: string;

  @Field(() => String, { description: `Secret access key (write-only); sent as \`credentials.s3_secret_access_key\`. ${S3_KEYS_NOTE}` })
  secretAccessKey!: string;

  @Field(() => String, { description: 'Key prefix of the data in the bucket; sent as `import_datasource.path`.' })
  path!: string;
}

@InputType('DatasetImportInput', { description: 'The source of a new dataset: exactly one of `ftp` or `s3`.' })
export class DatasetImportInput {
  @Field(() => FtpImportInput, { nullable: true, description: 'Import from an FTP server.' })
  ftp?: FtpImportInput | null;

  @Field(() => S3ImportInput, { nullable: true, description: 'Import from an S3 bucket.' })
  s3?: S3ImportInput | null;
}

@InputType('CreateDatasetInput', { description: 'A new Flai dataset imported from FTP or S3.' })
export class CreateDatasetInput {
  @Field(() => String, { description: 'The dataset name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Free-text description.' })
  description?: string | null;

  @Field(() => DatasetType, { description: 'What kind of data it holds.' })
  type!: DatasetType;

  @Field(() => Int, { nullable: true, description: 'EPSG code of the coordinate system.' })
  srid?: number | null;

  @Field(() => String, { nullable: true, description: 'Length unit: `m`, `ft`, `us-ft` or `deg`.' })
  unit?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Make the dataset public.' })
  isPublic?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'The point cloud carries annotations.' })
  isAnnotated?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Access mode: `r`, `w` or `rw` (Flai default `rw`).' })
  readWriteMode?: string | null;

  @Field(() => DatasetImportInput, { description: 'Where to import the data from (exactly one source).' })
  importFrom!: DatasetImportInput;

  @Field(() => String, {
    nullable: true,
    description:
      "Makes a retry safe: the key is kept at the end of the dataset's `description` on Flai (`[gatewayIdempotencyKey=<key>]`, left out of `Dataset.description`), and a create whose key is already on a dataset of the organization returns that dataset instead of creating another. 1 to 64 letters, digits, `.`, `_`, `:` or `-`.",
  })
  idempotencyKey?: string | null;
}
