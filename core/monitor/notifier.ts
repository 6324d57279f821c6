/**
 * Delivery of upsmon notifications (notify() of clients/upsmon.c) by each type's NOTIFYFLAG:
 * SYSLOG logs the text, WALL sends it to every terminal through wall(1), EXEC runs NOTIFYCMD
 * with the text as its argument and UPSNAME and NOTIFYTYPE in its environment (upssched
 * relies on those). IGNORE, or no flag, does nothing. WALL and EXEC run as processes of their
 * own that upsmon never waits for: a notifier that hangs must not delay monitoring.
 */
import type { NotifyType, UpsmonNotifySetting } from "../config/upsmon-conf.ts";
import type { NutLog } from "../system/nut-log.ts";
import { formatNotifyText, shellQuoted } from "./notify-text.ts";

/** What the notifier needs of upsmon.conf. */
export interface NotifyConfig {
  notify: Readonly<Record<NotifyType, UpsmonNotifySetting>>;
  notifyCmd?: string;
}

/** How the notifier starts processes (a seam for tests; the real one is spawnDetached). */
export type StartProcess = (argv: string[], env: Record<string, string>, stdinText?: string) => void;

/** Starts a process nobody waits for; its stdout and stderr are dropped. */
export function spawnDetached(argv: string[], env: Record<string, string>, stdinText?: string): void {
  try {
    const proc = Bun.spawn(argv, { env, stdin: stdinText !== undefined ? "pipe" : "ignore", stdout: "ignore", stderr: "ignore" });
    if (stdinText !== undefined && proc.stdin) {
      proc.stdin.write(stdinText);
      void proc.stdin.end();
    }
    proc.unref();
  } catch {
    // no wall(1) or no /bin/sh: nothing more upsmon could do either
  }
}

export class Notifier {
  #config: NotifyConfig;
  readonly #log: NutLog;
  readonly #start: StartProcess;
  readonly #env: Readonly<Record<string, string | undefined>>;

  constructor(config: NotifyConfig, log: NutLog, env: Readonly<Record<string, string | undefined>>, start: StartProcess = spawnDetached) {
    this.#config = config;
    this.#log = log;
    this.#env = env;
    this.#start = start;
  }

  /** A reload may change messages, flags and NOTIFYCMD. */
  reconfigure(config: NotifyConfig): void {
    this.#config = config;
  }

  /** Sends one notification; `system` is the MONITOR name (absent: UPSNAME is empty). */
  notify(type: NotifyType, system?: string, extra?: string): void {
    const setting = this.#config.notify[type];
    const flags = setting.flags;
    if (flags.length === 0 || flags.includes("IGNORE")) return;
    const text = formatNotifyText(setting.message, system, extra);
    this.#log.debug(2, `do_notify: ntype ${type}`);
    if (flags.includes("SYSLOG")) this.#log.notice(text);
    if (flags.includes("WALL")) this.wall(text);
    if (flags.includes("EXEC") && this.#config.notifyCmd !== undefined && this.#config.notifyCmd !== "") {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.#env)) if (v !== undefined) env[k] = v;
      env.UPSNAME = system ?? "";
      env.NOTIFYTYPE = type;
      this.#start(["/bin/sh", "-c", `${this.#config.notifyCmd} ${shellQuoted(text)}`], env);
    }
  }

  /** wall(1) with the text on its standard input. */
  wall(text: string): void {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#env)) if (v !== undefined) env[k] = v;
    this.#start(["wall"], env, `${text}\n`);
  }
}
