/**
 * The ceiling for a cached menu: node:http answering every request with the same bytes from
 * memory (the body the parent sends over IPC, as Bistro's cached menu.get answers it), no
 * routing, no parsing. Reports its URL to the parent over IPC.
 */
import { createServer } from 'node:http';

const body = await new Promise<Buffer>((resolve) => process.once('message', (message: { body: string }) => resolve(Buffer.from(message.body))));
const headers = { 'content-type': 'application/json', 'content-length': String(body.length), 'cache-control': 'no-cache' };

const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.send?.({ url: `http://127.0.0.1:${port}` });
});

function stop(): void {
  server.closeAllConnections();
  server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
