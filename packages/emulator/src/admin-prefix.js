// @ts-check
/**
 * Path prefix of the test-control endpoint (admin.js). Not a valid bucket name, so it never
 * shadows one. Its own module so that CORS can recognise admin routes without importing admin.js.
 */
export const ADMIN_PREFIX = '/__ks3emu/';
