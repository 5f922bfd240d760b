// Peer put+get plus its upload manager: AWS SDK v3 S3 client and @aws-sdk/lib-storage.
export { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
export { Upload } from '@aws-sdk/lib-storage';
