import type { Socket } from 'node:net';
import { errorBody } from './error-body.js';
import { ERRORS, type ErrorCode } from './error-codes.js';

/**
 * Requests Node rejects before any route runs (headers over 16 KiB, malformed HTTP, timeouts):
 * answered in our error shape too, then the socket is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code]: [number, ErrorCode] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout']
        : [400, 'bad_request'];
  const body = JSON.stringify(errorBody(status, code, code === 'bad_request' ? 'Malformed HTTP request' : ERRORS[code].message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${errorBody(status, code, '').error}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
