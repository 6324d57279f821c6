import { describe, expect, test } from "bun:test";
import { commandListJson, errorJson, rwListJson } from "./listing-json.ts";
import { classifyRwType } from "./rw-listing.ts";

describe("-j listings", () => {
  test("upscmd -j -l: command → description, null where unknown, upsc -j's layout", () => {
    const text = commandListJson([
      { name: "load.off", description: "Turn off the load immediately" },
      { name: "x.y", description: undefined },
    ]);
    expect(text).toBe('{\n  "load.off": "Turn off the load immediately",\n  "x.y": null\n}\n');
    expect(JSON.parse(text)).toEqual({ "load.off": "Turn off the load immediately", "x.y": null });
  });

  test("an empty listing prints as upsc -j prints an empty object", () => {
    expect(commandListJson([])).toBe("{\n\n}\n");
    expect(rwListJson([])).toBe("{\n\n}\n");
    expect(JSON.parse(rwListJson([]))).toEqual({});
  });

  test("upsrw -j: one object per variable, members present as the type has them", () => {
    const text = rwListJson([
      { name: "ups.id", description: "UPS system identifier", type: classifyRwType(["RW", "STRING:20"]), typeLabel: "STRING", maxLength: 20n, value: 'a"b\\c' },
      { name: "in.low", description: "Low", type: classifyRwType(["RW", "ENUM", "NUMBER"]), typeLabel: "ENUM NUMBER", value: "180", options: ["170", "180"] },
      { name: "in.high", description: undefined, type: classifyRwType(["RANGE"]), typeLabel: "RANGE NUMBER", value: "260", ranges: [{ min: 250, max: 270 }] },
      { name: "odd.one", description: "Odd", type: classifyRwType(["RW", "WEIRD"]) },
      { name: "no.type", description: "None", type: undefined },
    ]);
    expect(text).toBe(
      "{\n" +
        '  "ups.id": {\n    "description": "UPS system identifier",\n    "type": "STRING",\n    "max_length": 20,\n    "value": "a\\"b\\\\c"\n  },\n' +
        '  "in.low": {\n    "description": "Low",\n    "type": "ENUM NUMBER",\n    "value": "180",\n    "options": ["170", "180"]\n  },\n' +
        '  "in.high": {\n    "description": null,\n    "type": "RANGE NUMBER",\n    "value": "260",\n    "ranges": [{"min": 250, "max": 270}]\n  },\n' +
        '  "odd.one": {\n    "description": "Odd",\n    "type": null,\n    "unrecognized": ["WEIRD"]\n  },\n' +
        '  "no.type": {\n    "description": "None",\n    "type": null\n  }\n' +
        "}\n",
    );
    expect(JSON.parse(text)["ups.id"]).toEqual({ description: "UPS system identifier", type: "STRING", max_length: 20, value: 'a"b\\c' });
  });

  test("errors as upsc -j prints them", () => {
    expect(errorJson('Unknown "UPS"')).toBe('{"error": "Unknown \\"UPS\\""}\n');
  });
});
