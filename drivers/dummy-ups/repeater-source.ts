import { type DriverContext, DriverFatalError, type HandlerStatus, STAT_UNKNOWN } from "../framework/driver.ts";

/** Repeater mode of dummy-ups (filled in with the network client). */
export class RepeaterSource {
  constructor(_ctx: DriverContext, _set: (name: string, value: string) => HandlerStatus) {}
  async start(): Promise<void> {
    throw new DriverFatalError("Error: repeater mode is not available yet");
  }
  async update(): Promise<boolean> {
    return false;
  }
  async close(): Promise<void> {}
  instCmd(_name: string, _param: string | undefined): HandlerStatus {
    return STAT_UNKNOWN;
  }
  setVar(_name: string, _value: string): HandlerStatus {
    return STAT_UNKNOWN;
  }
}
