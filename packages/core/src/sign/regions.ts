/** INTERIM (replaced by the signer branch): KS3 endpoint host → region. */
const KNOWN: Record<string, string> = { beijing: 'BEIJING', shanghai: 'SHANGHAI', guangzhou: 'GUANGZHOU' };

export function inferRegion(host: string): string | undefined {
  const m = /(?:^|\.)ks3-cn-([a-z]+)(?:-internal)?\.ksyuncs\.com$/.exec(host);
  return m ? KNOWN[m[1]!] : undefined;
}
