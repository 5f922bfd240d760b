/**
 * @ks3/multipart — the upload manager. Work in progress: see issue "The upload manager".
 */
export {};
