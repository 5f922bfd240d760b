/**
 * The CDN build: `<script src=".../ks3.min.js">` defines the global `KS3` with everything in
 * @ks3/browser.
 */
export * from './index.js';
