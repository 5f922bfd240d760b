// The browser walkthrough: the global KS3 comes from the CDN file loaded by index.html.
/* global KS3 */
(async () => {
  const log = (line) => {
    document.getElementById('log').textContent += `${line}\n`;
  };
  const params = new URLSearchParams(location.search);
  try {
    const client = KS3.createClient({
      endpoint: params.get('endpoint'),
      accessKeyId: params.get('ak'),
      secretAccessKey: params.get('sk'),
    });
    const bucket = params.get('bucket') || 'page-demo';
    await KS3.createBucket(client, { bucket });
    log(`created bucket ${bucket}`);
    const file = new Blob(['hello from a page ✓'], { type: 'text/plain' });
    const put = await KS3.putObject(client, { bucket, key: 'from-page.txt', body: file });
    log(`put from-page.txt ${put.etag}`);
    const head = await KS3.headObject(client, { bucket, key: 'from-page.txt' });
    log(`head ${head.size} bytes ${head.contentType}`);
    const got = await KS3.getObject(client, { bucket, key: 'from-page.txt' });
    log(`get "${await got.text()}"`);
    const list = await KS3.listObjects(client, { bucket });
    log(`list ${list.contents.map((o) => o.key).join(',')}`);
    const { url } = await KS3.presignUrl(client, { bucket, key: 'from-page.txt', expiresIn: 60 });
    log(`presigned fetch ${(await fetch(url)).status}`);
    await KS3.deleteObject(client, { bucket, key: 'from-page.txt' });
    await KS3.deleteBucket(client, { bucket });
    log('deleted object and bucket');
    log('DONE');
  } catch (e) {
    log(`ERROR ${e?.name}: ${e?.message}`);
  }
})();
