import pkg from "../package.json" with { type: "json" };

/** This build's version. */
export const NUT_TS_VERSION: string = pkg.version;
/** The NUT release whose behaviour, files and protocol this build reproduces. */
export const NUT_COMPAT_VERSION = "2.8.0";

/** The line `nut --version` prints. */
export function versionLine(): string {
  return `nut-ts ${NUT_TS_VERSION} (Network UPS Tools ${NUT_COMPAT_VERSION} compatible)\n`;
}
