// @ts-check
/** KS3 limits (protocol §8). Sizes in bytes. */

/** Largest single PUT and largest part: 5 GB, read as 5 GiB (§4.9, §8). */
export const MAX_OBJECT_SIZE = 5 * 1024 ** 3;
/** Every part but the last must be at least this big, checked at Complete (§4.16). */
export const MIN_PART_SIZE = 100 * 1024;
export const MAX_PART_NUMBER = 10000;
/** Key length in characters (code points), §4.9. */
export const MAX_KEY_LENGTH = 1024;
export const MAX_BUCKETS_PER_OWNER = 100;
/** List Objects page sizes: 1000 normally, 100 with a delimiter (§4.12). */
export const MAX_KEYS = 1000;
export const MAX_KEYS_WITH_DELIMITER = 100;
export const MAX_PARTS = 1000;
export const MAX_UPLOADS = 1000;
/** Request XML bodies; Complete with 10,000 parts stays well under this. */
export const MAX_XML_BODY = 2 * 1024 * 1024;
/** User metadata (names after `x-kss-meta-` plus values, UTF-8); KS3's figure is unverified, this is S3's. */
export const MAX_METADATA_SIZE = 2048;
