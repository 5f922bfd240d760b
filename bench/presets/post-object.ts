// Preset "POST-policy upload": a page that posts files with a form its server signed.
export { postObject } from '@ks3/browser';
