// Peer put+get: aws4fetch (a SigV4 signer on fetch): sign and send a PUT and a GET.
import { AwsClient } from 'aws4fetch';

export async function putGet(endpoint: string, body: Blob): Promise<ArrayBuffer> {
  const aws = new AwsClient({ accessKeyId: 'AK', secretAccessKey: 'SK', service: 's3', region: 'us-east-1' });
  await aws.fetch(`${endpoint}/bucket/key`, { method: 'PUT', body });
  return (await aws.fetch(`${endpoint}/bucket/key`)).arrayBuffer();
}
