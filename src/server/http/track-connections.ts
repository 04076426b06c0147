import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2SecureServer, Http2ServerRequest, Http2Session } from 'node:http2';
import type { Socket } from 'node:net';

/**
 * Follows an HTTPS (HTTP/2 + HTTP/1.1) server's connections so that closing it need not
 * wait for clients' keep-alive: unlike node:http, an HTTP/2 server leaves idle sessions
 * and HTTP/1.1 sockets open after `close()`. `endIdle()` closes each session once its open
 * streams end, and each HTTP/1.1 socket at once when idle or, gracefully, after its current
 * answer.
 *
 * @example
 * ```ts
 * const connections = trackConnections(server);
 * server.close(done); connections.endIdle();
 * ```
 */
export function trackConnections(server: Http2SecureServer): { endIdle: () => void } {
  const sessions = new Set<Http2Session>();
  const busy = new Map<Socket, number>();
  const sockets = new Set<Socket>();
  let ending = false;
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      busy.delete(socket);
    });
  });
  server.on('request', (req: IncomingMessage | Http2ServerRequest, res: ServerResponse) => {
    if (req.httpVersionMajor !== 1) return;
    const socket = req.socket as Socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (busy.get(socket) ?? 1) - 1;
      busy.set(socket, left);
      if (ending && left === 0) endSoon(socket);
    });
  });
  return {
    endIdle: () => {
      ending = true;
      for (const session of sessions) session.close();
      // HTTP/2 sockets end with their session; an idle HTTP/1.1 socket ends now.
      for (const socket of sockets) if ((socket as Socket & { alpnProtocol?: string | false }).alpnProtocol !== 'h2' && (busy.get(socket) ?? 0) === 0) socket.destroy();
    },
  };
}

/** Ends a socket after its answer is flushed; destroys it if the peer does not close in time. */
function endSoon(socket: Socket): void {
  socket.end();
  setTimeout(() => socket.destroy(), 2_000).unref();
}
