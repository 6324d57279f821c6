/**
 * The unix-socket side of a driver's state server (dstate.c sock_open()/sock_connect()): the
 * socket STATEPATH/<driver>-<ups> with mode 0660, any number of clients, each an attached
 * StatePeer. A peer that stops reading is dropped once it is far behind, instead of letting the
 * driver's memory grow (NUT drops it on the first short write).
 */
import { chmodSync, unlinkSync } from "node:fs";
import { type Server, type Socket, createServer } from "node:net";
import type { NutLog } from "../../core/system/nut-log.ts";
import type { StateServer } from "./state-server.ts";

/** Bytes queued for one peer before it counts as gone. */
const MAX_BACKLOG = 4 * 1024 * 1024;
/** Longest path a sockaddr_un holds on Linux, terminator excluded. */
const SUN_PATH_MAX = 107;

/** A listening driver socket. */
export interface UnixStateSocket {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Listens on `path` for `server`. Throws with NUT's message when the path is too long; an old
 * socket file at the path is removed first, as NUT does.
 */
export async function listenUnixStateSocket(path: string, server: StateServer, log: NutLog): Promise<UnixStateSocket> {
  if (path.length > SUN_PATH_MAX) {
    throw new Error(`Can't create a unix domain socket: pathname '${path}' is too long (${path.length}) for 'struct sockaddr_un->sun_path' on this system (${SUN_PATH_MAX})`);
  }
  try {
    unlinkSync(path);
  } catch {
    // nothing to remove
  }
  const sockets = new Set<Socket>();
  const listener: Server = createServer((socket) => {
    sockets.add(socket);
    const session = server.attach({
      send(text) {
        if (socket.destroyed) return false;
        if (socket.writableLength > MAX_BACKLOG) return false;
        socket.write(text);
        return true;
      },
      close() {
        socket.destroy();
      },
    });
    socket.on("data", (chunk: Buffer) => session.receive(chunk));
    socket.on("close", () => {
      sockets.delete(socket);
      session.detach();
    });
    socket.on("error", (err) => log.debug(2, `socket client error: ${err.message}`));
  });
  const oldMask = process.umask(0o007);
  try {
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen({ path, backlog: 16 }, () => {
        listener.off("error", reject);
        resolve();
      });
    });
  } finally {
    process.umask(oldMask);
  }
  chmodSync(path, 0o660);
  return {
    path,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}
