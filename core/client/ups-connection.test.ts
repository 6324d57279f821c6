import { describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { ClientFatalError } from "./client-fatal.ts";
import { connectToUps } from "./ups-connection.ts";

/** A port of 127.0.0.1 nobody listens on (bound, read, closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("connectToUps()", () => {
  test("a bad identifier: splitname's line, then upscmd's and upsrw's fatal", async () => {
    const err = await connectToUps("ups@host:").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientFatalError);
    expect((err as ClientFatalError).stderrText).toBe(
      "upscli_splitaddr: no port specified after ':' separator\nError: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n",
    );
    expect((err as ClientFatalError).detail).toBe("invalid UPS definition.  Required format: upsname[@hostname[:port]]");
  });

  test("a refused connection: `Error: Connection failure: Connection refused`", async () => {
    const port = await closedPort();
    await expect(connectToUps(`ups@127.0.0.1:${port}`)).rejects.toThrow("Error: Connection failure: Connection refused");
  });

  test("the connection sends no STARTTLS: the first line upsd sees is the program's", async () => {
    const seen: string[] = [];
    const server = createServer((socket) => {
      socket.on("data", (chunk) => {
        seen.push(chunk.toString());
        socket.write("OK\n");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const { client, upsname } = await connectToUps(`myups@127.0.0.1:${port}`);
      expect(upsname).toBe("myups");
      expect((await client.request("VER")).line).toBe("OK");
      await client.close();
      expect(seen.join("").split("\n")[0]).toBe("VER");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
