import { NUT_COMPAT_VERSION, NUT_TS_VERSION } from "../core/protocol/nut-version.ts";

/** The line `nut --version` prints. */
export function versionLine(): string {
  return `nut-ts ${NUT_TS_VERSION} (Network UPS Tools ${NUT_COMPAT_VERSION} compatible)\n`;
}
