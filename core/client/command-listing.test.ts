import { describe, expect, test } from "bun:test";
import { NutProtocolError, UpscliError } from "../protocol/net-error.ts";
import { ClientFatalError } from "./client-fatal.ts";
import { type ListingClient, commandListText, fetchCommandList, listRefused } from "./command-listing.ts";

/** A connection answering from tables: LIST items by query, GET answers (or errors) by query. */
function fakeClient(lists: Record<string, string[][] | Error>, gets: Record<string, string[] | Error>, log: string[] = []): ListingClient {
  return {
    list: async (query) => {
      log.push(`LIST ${query.join(" ")}`);
      const r = lists[query.join(" ")];
      if (r === undefined) throw new NutProtocolError("UNKNOWN-UPS");
      if (r instanceof Error) throw r;
      return r;
    },
    get: async (query) => {
      log.push(`GET ${query.join(" ")}`);
      await Bun.sleep(1);
      const r = gets[query.join(" ")];
      if (r === undefined) throw new NutProtocolError("CMD-NOT-SUPPORTED");
      if (r instanceof Error) throw r;
      return r;
    },
  };
}

describe("upscmd -l", () => {
  test("header, empty line, `<cmd> - <desc>`; a failed CMDDESC prints the bare name", async () => {
    const client = fakeClient(
      { "CMD fake": [["CMD", "fake", "beeper.off"], ["CMD", "fake", "load.off"], ["CMD", "fake", "test.x"]] },
      {
        "CMDDESC fake beeper.off": ["CMDDESC", "fake", "beeper.off", "Obsolete (use beeper.disable or beeper.mute)"],
        "CMDDESC fake load.off": ["CMDDESC", "fake", "load.off", "Turn off the load immediately"],
      },
    );
    const entries = await fetchCommandList(client, "fake");
    expect(commandListText("fake", entries)).toBe(
      "Instant commands supported on UPS [fake]:\n\n" +
        "beeper.off - Obsolete (use beeper.disable or beeper.mute)\n" +
        "load.off - Turn off the load immediately\n" +
        "test.x\n",
    );
  });

  test("an empty list still prints the header", async () => {
    const entries = await fetchCommandList(fakeClient({ "CMD u": [] }, {}), "u");
    expect(commandListText("u", entries)).toBe("Instant commands supported on UPS [u]:\n\n");
  });

  test("the descriptions are asked for one after the other, in list order", async () => {
    const log: string[] = [];
    const items = Array.from({ length: 5 }, (_, i) => ["CMD", "u", `c.${i}`]);
    const client = fakeClient({ "CMD u": items }, {}, log);
    const entries = await fetchCommandList(client, "u");
    expect(entries.map((e) => e.name)).toEqual(["c.0", "c.1", "c.2", "c.3", "c.4"]);
    expect(log).toEqual(["LIST CMD u", ...items.map((i) => `GET CMDDESC u ${i[2]}`)]);
  });

  test("a refused LIST: libupsclient's text, or `upsd is too old` for UNKNOWN-COMMAND", async () => {
    await expect(fetchCommandList(fakeClient({}, {}), "nope")).rejects.toThrow(new ClientFatalError("Error: Unknown UPS"));
    const old = fakeClient({ "CMD u": new NutProtocolError("UNKNOWN-COMMAND") }, {});
    await expect(fetchCommandList(old, "u")).rejects.toThrow("Error: upsd is too old to support this query");
    expect(listRefused(new UpscliError("SRVDISC")).message).toBe("Error: Server disconnected");
  });

  test("a short item: `insufficient data`", async () => {
    const client = fakeClient({ "CMD u": [["CMD", "u", "a.b"], ["CMD", "u"]] }, {});
    await expect(fetchCommandList(client, "u")).rejects.toThrow("Error: insufficient data (got 2 args, need at least 3)");
  });
});
