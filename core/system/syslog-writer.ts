/**
 * Log lines to syslog, for daemons in the background (NUT's upslogx() switches from stderr to
 * syslog once a daemon has gone to the background). Bun has no Unix datagram sockets, so one
 * long-lived logger(1) (util-linux) per daemon carries the lines: each line written to its
 * standard input becomes one message, tagged with the program's name and the daemon's PID,
 * facility daemon as NUT's openlog(). NUT_TS_SYSLOG_SOCKET names another socket than
 * /dev/log (tests use it).
 */

/** The environment variable naming the syslog socket. */
export const SYSLOG_SOCKET_ENV = "NUT_TS_SYSLOG_SOCKET";

/** A line sink to syslog, or undefined when logger(1) cannot be started. */
export function openSyslog(tag: string, env: Readonly<Record<string, string | undefined>>): ((text: string) => void) | undefined {
  const socket = env[SYSLOG_SOCKET_ENV];
  const argv = ["logger", `--id=${process.pid}`, "-t", tag, "-p", "daemon.notice", ...(socket ? ["-u", socket] : [])];
  try {
    const proc = Bun.spawn(argv, { stdin: "pipe", stdout: "ignore", stderr: "ignore" });
    proc.unref();
    const sink = proc.stdin;
    return (text) => {
      try {
        sink.write(text);
        void sink.flush();
      } catch {
        // logger is gone: there is nowhere else to say it
      }
    };
  } catch {
    return undefined;
  }
}
