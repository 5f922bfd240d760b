// Preset "put+get+list+head+delete": the usual object operations.
export { createClient, deleteObject, getObject, headObject, listObjects, putObject } from '@ks3/core';
