/** Starts the sink (sink/server.mjs) in a child process and talks to its control endpoint. */
import { fork } from 'node:child_process';
import { request } from 'node:http';

/**
 * @returns {Promise<{ url: string, host: string, port: number, configure(c: object): Promise<void>, stats(): Promise<object>, close(): Promise<void> }>}
 */
export async function startSink() {
  const child = fork(new URL('./server.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`sink exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { method, agent: false }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          res.statusCode < 300 ? resolve(text) : reject(new Error(`sink ${path}: ${res.statusCode} ${text}`)),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    url,
    host: '127.0.0.1',
    port,
    configure: async (c) => void (await call('POST', '/__sink/config', JSON.stringify(c))),
    stats: async () => JSON.parse(await call('GET', '/__sink/stats')),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
