/** S3 storage classes a replica may use. */
export const REPLICA_STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
] as const;

/** A storage class a replica may use. */
export type ReplicaStorageClass = (typeof REPLICA_STORAGE_CLASSES)[number];
