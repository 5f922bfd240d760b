// Peer put+get: Tencent Cloud COS JavaScript SDK (browser).
import COS from 'cos-js-sdk-v5';

export function putGet(Bucket: string, Body: Blob, done: (err: unknown, data: unknown) => void): void {
  const cos = new COS({ SecretId: 'AK', SecretKey: 'SK' });
  cos.putObject({ Bucket, Region: 'ap-guangzhou', Key: 'key', Body }, (err: unknown) => {
    if (err) return done(err, undefined);
    cos.getObject({ Bucket, Region: 'ap-guangzhou', Key: 'key' }, done);
  });
}
