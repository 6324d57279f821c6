/**
 * Where NUT's files live: compiled-in defaults of Debian's build, replaced by the
 * NUT_CONFPATH, NUT_STATEPATH, NUT_ALTPIDPATH and NUT_PIDPATH environment variables as NUT's
 * common.c does (an empty variable counts as unset).
 */
export interface NutPaths {
  /** Directory of every *.conf file (CONFPATH). */
  confPath: string;
  /** Directory of the driver sockets (STATEPATH). */
  statePath: string;
  /** Directory of upsd's and the drivers' PID files (ALTPIDPATH). */
  altPidPath: string;
  /** Directory of upsmon's and upslog's PID files (PIDPATH). */
  pidPath: string;
  /** Directory of cmdvartab (DATADIR). */
  dataPath: string;
}

/** Debian 2.8.0's compiled-in paths. */
export const DEFAULT_PATHS: Readonly<NutPaths> = Object.freeze({
  confPath: "/etc/nut",
  statePath: "/run/nut",
  altPidPath: "/run/nut",
  pidPath: "/run/nut",
  dataPath: "/usr/share/nut",
});

/** Resolves the paths from an environment (pass `process.env`). */
export function resolveNutPaths(env: Readonly<Record<string, string | undefined>>): NutPaths {
  const pick = (name: string): string | undefined => {
    const value = env[name];
    return value !== undefined && value !== "" ? value : undefined;
  };
  const statePath = pick("NUT_STATEPATH") ?? DEFAULT_PATHS.statePath;
  return {
    confPath: pick("NUT_CONFPATH") ?? DEFAULT_PATHS.confPath,
    statePath,
    // common.c altpidpath(): NUT_ALTPIDPATH, then NUT_STATEPATH, then the compiled default
    altPidPath: pick("NUT_ALTPIDPATH") ?? pick("NUT_STATEPATH") ?? DEFAULT_PATHS.altPidPath,
    pidPath: pick("NUT_PIDPATH") ?? DEFAULT_PATHS.pidPath,
    dataPath: DEFAULT_PATHS.dataPath,
  };
}
