import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on `host:port` and resolves with the URL; a failure (EADDRINUSE) rejects with Node's error, its `code` intact. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(`http://${host}:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Closes the server, ending the connections clients hold open so the close never waits for them. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
