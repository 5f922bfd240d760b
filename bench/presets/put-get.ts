// Preset "put+get": upload and download single objects.
export { createClient, getObject, putObject } from '@ks3/core';
