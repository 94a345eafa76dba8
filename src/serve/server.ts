/**
 * `kotovec serve`: an HTTP server over one or more models — the JSON API (`api.ts`) and the explorer
 * page (`page.ts`). It answers every request with a status and a body, whatever the request: unknown
 * routes 404, wrong methods 405, bodies over 1 MB 413, bad parameters 400, unknown words 404, all as
 * `{"error", "code"}`; an error nobody foresaw is a 500 with the same shape, and the server goes on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCodes, KotovecError } from '../errors.js';
import { apiContext, ROUTES, statusOf, type ApiContext, type ApiRequest, type ServedModel } from './api.js';
import { loadPage, type PageFile } from './page.js';

/** Largest request body accepted (POST /api/infer). */
export const MAX_BODY_BYTES = 1 << 20;

/** Where and what to serve. */
export interface ServeOptions {
  models: ServedModel[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
}

/** A running server. */
export interface RunningServer {
  /** The address to open, e.g. http://127.0.0.1:8080/ */
  url: string;
  server: Server;
  /** Stops accepting connections, ends idle ones and resolves when all are closed. */
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Scripts and styles from the page's own files only: a word cannot become code even if it reached HTML.
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

function send(response: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...extra });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  send(response, status, JSON.stringify(value), 'application/json; charset=utf-8', extra);
}

function sendError(response: ServerResponse, error: unknown, extra: Record<string, string> = {}): void {
  const known = error instanceof KotovecError;
  const status = statusOf(error);
  const message = known ? error.message : 'internal error';
  if (!known) process.stderr.write(`kotovec serve: ${(error as Error)?.stack ?? String(error)}\n`);
  sendJson(response, status, { error: message, code: known ? error.code : 'E_INTERNAL' }, extra);
}

/** Reads a JSON body of at most {@link MAX_BODY_BYTES}. */
function readJsonBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new KotovecError(ErrorCodes.TOO_LARGE, `request body over ${MAX_BODY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new KotovecError(ErrorCodes.TOO_LARGE, `request body over ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (error) => reject(new KotovecError(ErrorCodes.BAD_REQUEST, `request failed: ${error.message}`)));
    request.on('end', () => {
      if (failed) return;
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw.trim() === '') return resolve({});
      try {
        const value = JSON.parse(raw) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        resolve(value);
      } catch {
        reject(new KotovecError(ErrorCodes.BAD_REQUEST, 'the body must be a JSON object, e.g. {"text": "…"}'));
      }
    });
  });
}

/** Handles one request (exported for tests that drive the handler without a socket). */
export function createHandler(api: ApiContext, page: Map<string, PageFile>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      const file = page.get(url.pathname);
      if (file) {
        if (method !== 'GET' && method !== 'HEAD') throw new KotovecError(ErrorCodes.METHOD_NOT_ALLOWED, `${method} is not allowed on ${url.pathname}; use GET`);
        send(response, 200, method === 'HEAD' ? '' : file.body, file.type);
        return;
      }
      const route = ROUTES[url.pathname];
      if (!route) throw new KotovecError(ErrorCodes.NOT_FOUND, `no such route: ${url.pathname}`);
      if (method !== route.method) {
        sendError(response, new KotovecError(ErrorCodes.METHOD_NOT_ALLOWED, `${method} is not allowed on ${url.pathname}; use ${route.method}`), { Allow: route.method });
        request.resume();
        return;
      }
      const apiRequest: ApiRequest = { params: url.searchParams };
      if (method === 'POST') apiRequest.body = await readJsonBody(request);
      sendJson(response, 200, await route.answer(apiRequest, api));
    } catch (error) {
      const tooLarge = error instanceof KotovecError && error.code === ErrorCodes.TOO_LARGE;
      // The rest of an oversized body is not read: the connection closes after the answer.
      sendError(response, error, tooLarge ? { Connection: 'close' } : {});
      if (tooLarge) response.on('finish', () => request.destroy());
    }
  };
}

/**
 * Starts the server.
 * @throws KotovecError LISTEN when the address is taken or cannot be bound
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const api = apiContext(options.models);
  const page = loadPage();
  const handler = createHandler(api, page);
  const server = createServer({ keepAliveTimeout: 5000 }, (request, response) => void handler(request, response));
  // A malformed request line or header: answer 400 if the socket still can, never throw.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the port is in use (choose another with --port)' : error.message;
      reject(new KotovecError(ErrorCodes.LISTEN, `cannot listen on ${host}:${options.port ?? 8080}: ${why}`));
    });
    server.listen(options.port ?? 8080, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
