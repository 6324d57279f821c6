/**
 * Driver name (NUT's spelling, the ups.conf `driver` value) → its definition, imported only
 * when that driver runs.
 */
import type { DriverDefinition } from "../drivers/framework/driver.ts";

const DRIVERS: Readonly<Record<string, () => Promise<DriverDefinition>>> = Object.freeze({
  "dummy-ups": async () => (await import("../drivers/dummy-ups/dummy-ups.ts")).DUMMY_UPS,
  clone: async () => (await import("../drivers/clone/clone.ts")).CLONE,
  "usbhid-ups": async () => (await import("../drivers/usbhid-ups/usbhid-ups.ts")).USBHID_UPS,
});

/** Loads a driver definition, or undefined if this build has no such driver yet. */
export async function loadDriver(name: string): Promise<DriverDefinition | undefined> {
  const load = DRIVERS[name];
  return load ? load() : undefined;
}
