/**
 * Versions every program reports. NUT_TS_VERSION must equal package.json's version (a test
 * checks it); it is written out here because pure modules cannot read package.json.
 */
export const NUT_TS_VERSION = "0.1.0";

/** The NUT release whose behaviour, files and protocols this build reproduces. */
export const NUT_COMPAT_VERSION = "2.8.0";

/**
 * What NUT programs print where C NUT prints UPS_VERSION (driver banners, driver.version, upsd's
 * VER): the NUT release first, so that clients comparing version numbers see 2.8.0, then who
 * built it, as NUT's own development builds append a suffix.
 */
export const UPS_VERSION = `${NUT_COMPAT_VERSION}-nut-ts-${NUT_TS_VERSION}`;
