/**
 * Small HTTP helpers shared by the stand-ins: listen on 127.0.0.1 unless told otherwise (port 0 = random), read a body, track
 * sockets so close()/down() can cut keep-alive connections. Test infrastructure only; never for production.
 */
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Listening {
  server: http.Server;
  port: number;
  sockets: Set<Socket>;
  close(): Promise<void>;
}

/** `host` 0.0.0.0 only where other machines must reach the stand-in (a container of docker compose's dev profile). */
export async function listen(handler: http.RequestListener, port = 0, host = '127.0.0.1'): Promise<Listening> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    sockets,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** JSON as Meta's Graph API writes it: non-ASCII as lowercase \uXXXX, "/" as "\/", "@" as "\u0040". */
function metaJson(body: unknown): string {
  return JSON.stringify(body)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/')
    .replace(/@/g, '\\u0040');
}

export function sendMetaJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = metaJson(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
