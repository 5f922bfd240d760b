// Not a product preset: pulls in fast-xml-parser (~21 KB gzip) next to put+get, so that the
// budget test can show that a preset over budget fails the check.
export { createClient, getObject, putObject } from '@ks3/core';
export { XMLParser } from 'fast-xml-parser';
