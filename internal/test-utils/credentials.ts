/** The fixed test identity the shared emulator accepts. Not a real KS3 credential. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKLTtestAccessKeyId000',
  secretAccessKey: 'testSecretKey/with+base64=chars0000',
} as const;
