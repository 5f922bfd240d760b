// Peer put+get: the modular AWS SDK v3 S3 client.
export { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
