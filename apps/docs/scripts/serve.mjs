// The built site served as a host should serve it: sirv over dist/, with the cross-origin
// isolation headers (COOP + COEP) that let the playground measure JSON.parse objects
// (performance.measureUserAgentSpecificMemory), and application/wasm. `vitepress preview` sends
// neither header; the browser test (test/site.ts) and `npm run docs` use this.
//   node apps/docs/scripts/serve.mjs [port]
import { createServer } from 'node:http';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

export const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** Serves dist/ on 127.0.0.1 (port 0: any free one); the origin and a close function. */
export async function serveSite(port = 0) {
  const files = sirv(DIST, {
    dev: false,
    setHeaders: (response) => {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    },
  });
  const server = createServer((request, response) =>
    files(request, response, () => {
      response.statusCode = 404;
      response.end('not found');
    }),
  );
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  const { origin } = await serveSite(Number(process.argv[2] ?? 4173));
  console.log(`the memstore site: ${origin}/ (the playground: ${origin}/playground.html)`);
}
