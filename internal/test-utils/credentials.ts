/** The fixed test identity the shared emulator accepts. Not a real KS3 credential. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKLTtestAccessKeyId000',
  secretAccessKey: 'testSecretKey/with+base64=chars0000',
} as const;

/** STS-style credentials: valid only together with their security token. */
export const TEST_TEMPORARY_CREDENTIALS = {
  accessKeyId: 'AKLTtemporaryKeyId0001',
  secretAccessKey: 'temporarySecret/0001',
  securityToken: 'test-security-token-0001',
} as const;
