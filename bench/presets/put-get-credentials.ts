// Preset "put+get, credentials provider": a page that uploads and downloads with temporary
// credentials fetched from its backend (no secret in the page), importing from @ks3/browser.
export { createClient, createCredentialsProvider, getObject, putObject } from '@ks3/browser';
