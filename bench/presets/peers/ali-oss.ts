// Peer put+get: Alibaba Cloud OSS (its browser build; one class, not tree-shakable).
import OSS from 'ali-oss';

export async function putGet(bucket: string, body: Blob): Promise<unknown> {
  const client = new OSS({ region: 'oss-cn-hangzhou', accessKeyId: 'AK', accessKeySecret: 'SK', bucket });
  await client.put('key', body);
  return client.get('key');
}
