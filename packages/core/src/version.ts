/** The SDK's version, sent in the User-Agent where the platform allows it. A test keeps it equal to package.json's. */
export const VERSION = '0.2.0';
