/**
 * A driver's life, as NUT's drivers/main.c runs it: settings from ups.conf and -x, user switch,
 * duplicate-instance take-over, initUps / (-k shutdown) / initInfo / first update, the state
 * socket, backgrounding, the poll loop, signals and clean-up. What it publishes, and when,
 * follows NUT 2.8.0, so that upsd and every client see the same variables as with NUT's drivers.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { resolveNutPaths } from "../../core/config/nut-paths.ts";
import { parseUpsConf } from "../../core/config/ups-conf.ts";
import { UPS_VERSION } from "../../core/protocol/nut-version.ts";
import { becomeUser, findSystemUser } from "../../core/system/system-user.ts";
import { DriverConfig, UnknownDriverVariableError } from "./driver-config.ts";
import { isBackgroundChild as inBackground, runInBackground, signalReady } from "../../core/system/background.ts";
import { StreamNutLog } from "../../core/system/nut-log.ts";
import { openSyslog } from "../../core/system/syslog-writer.ts";
import { DriverState } from "./driver-state.ts";
import { type Driver, type DriverContext, type DriverDefinition, DriverFatalError, STAT_HANDLED, STAT_UNKNOWN } from "./driver.ts";
import { StateServer } from "./state-server.ts";
import { type UnixStateSocket, listenUnixStateSocket } from "./unix-state-socket.ts";

/** Debian's compiled-in RUN_AS_USER. */
const RUN_AS_USER = "nut";

/** A `-a`, `-s` or `-x` argument, kept in command-line order (their order matters). */
export type DriverArgEvent = { kind: "a"; name: string } | { kind: "s"; name: string } | { kind: "x"; arg: string };

/** The driver command line once getopt has split it (NUT's nutupsdrv options). */
export interface DriverCommandLine {
  events: DriverArgEvent[];
  debug: number;
  /** -F count (1: foreground; 2: foreground and still write the PID file). */
  foreground: number;
  /** -B given. */
  background: boolean;
  dumpCount?: number;
  pollInterval?: number;
  kill: boolean;
  chroot?: string;
  user?: string;
  group?: string;
  /** The raw arguments, to re-execute this driver in the background. */
  rawArgs: string[];
  /** -c: talk to the running instance (`exit`, `reload…`) instead of starting one. */
  control?: string;
  /** -P: the running instance's PID, instead of its PID file. */
  controlPid?: number;
}

/** Where a driver writes; a ProgramIo fits. */
export interface DriverIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Asks a running instance to leave through its socket (2.8.3's `INSTCMD driver.exit`). */
function askToExit(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ path: socketPath });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(false);
    }, 2000);
    sock.on("connect", () => sock.write("INSTCMD driver.exit\n"));
    sock.on("data", () => undefined);
    sock.on("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
    sock.on("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * `-c exit|reload…` (NUT 2.8.1+): `exit` asks the instance through its socket to leave (2.8.3's
 * INSTCMD driver.exit), anything starting like `reload` sends it SIGHUP through its PID file
 * (or -P). Returns the exit status.
 */
async function controlRunning(def: DriverDefinition, upsName: string, cmd: DriverCommandLine, statePath: string, pidPath: string, log: StreamNutLog): Promise<number> {
  const command = cmd.control ?? "";
  const readPid = (): number | undefined => {
    if (cmd.controlPid !== undefined && cmd.controlPid > 0) return cmd.controlPid;
    try {
      const pid = Number(readFileSync(join(pidPath, `${def.name}-${upsName}.pid`), "utf8").trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  if (command !== "" && "exit".startsWith(command)) {
    if (await askToExit(join(statePath, `${def.name}-${upsName}`))) return 0;
    const pid = readPid();
    if (pid !== undefined && processAlive(pid)) {
      process.kill(pid, "SIGTERM");
      return 0;
    }
    log.error(`Failed to signal the currently running daemon (no socket and no live PID for ${def.name}-${upsName})`);
    return 1;
  }
  if (command !== "" && command.startsWith("reload".slice(0, Math.min(command.length, 6))) && "reload-or-restart reload-or-exit reload-or-error reload".split(" ").some((c) => c.startsWith(command))) {
    const pid = readPid();
    if (pid === undefined || !processAlive(pid)) {
      log.error(`Failed to signal the currently running daemon (no live PID for ${def.name}-${upsName})`);
      return 1;
    }
    process.kill(pid, "SIGHUP");
    return 0;
  }
  log.error(`Error: unknown command '${command}' for -c (use exit or reload)`);
  return 1;
}

/** Runs one driver program to its end; returns the exit status. */
export async function runDriver(def: DriverDefinition, cmd: DriverCommandLine, io: DriverIo): Promise<number> {
  const isBackgroundChild = inBackground(io.env, def.name);
  // once the background child is ready its log lines go to syslog, as NUT's background() does
  let logSink = (text: string): void => io.stderr(text);
  const log = new StreamNutLog((t) => logSink(t), cmd.debug);
  const state = new DriverState(log);
  let config = new DriverConfig(def.name, def.variables, state, log);
  const paths = resolveNutPaths(io.env);
  if (cmd.user !== undefined) {
    config.user = cmd.user;
    config.userFromCommandLine = true;
  }
  if (cmd.group !== undefined) {
    config.group = cmd.group;
    config.groupFromCommandLine = true;
  }
  if (cmd.chroot !== undefined) config.chroot = cmd.chroot;

  let socket: UnixStateSocket | undefined;
  let server: StateServer | undefined;
  let driver: Driver | undefined;
  let pidFile: string | undefined;
  let exitSignal: number | undefined;
  let wake: (() => void) | undefined;
  const signalHandlers: [NodeJS.Signals, () => void][] = [];

  const cleanup = async (): Promise<void> => {
    for (const [sig, handler] of signalHandlers) process.off(sig, handler);
    try {
      await driver?.cleanup?.();
    } catch (err) {
      log.error(`cleanup failed: ${(err as Error).message}`);
    }
    server?.close();
    await socket?.close();
    if (pidFile !== undefined) {
      try {
        unlinkSync(pidFile);
      } catch {
        // already gone
      }
    }
  };

  /** The -a / -s / -x arguments in order (a -x after -a overrides the file, as in NUT). */
  const applyEvents = (target: DriverConfig): void => {
    for (const event of cmd.events) {
      if (event.kind === "a") {
        const file = join(paths.confPath, "ups.conf");
        let text: Uint8Array;
        try {
          text = readFileSync(file);
        } catch (err) {
          // upsconf.c prints pconf's message inside its own: the path comes twice
          throw new DriverFatalError(`Can't open ${file}: Can't open ${file}: ${(err as NodeJS.ErrnoException).message.replace(/^[A-Z]+: /, "").replace(/, open '.*'$/, "")}`);
        }
        const parsed = parseUpsConf(text, file);
        for (const d of parsed.diagnostics) if (d.message.startsWith("Parse error")) log.error(`Parse error: ${file}:${d.line}: ${d.message.replace(/^Parse error: /, "")}`);
        target.applyUpsConf(parsed.config, event.name);
      } else if (event.kind === "s") {
        target.upsName = event.name;
        target.upsNameFound = true;
      } else {
        target.applyCommandLine(event.arg);
      }
    }
  };

  try {
    applyEvents(config);
    if (cmd.pollInterval !== undefined) {
      if (cmd.pollInterval <= 0) throw new DriverFatalError(`Error: command-line: invalid pollinterval: ${cmd.pollInterval}`);
      config.pollInterval = cmd.pollInterval;
    }
    const dump = cmd.dumpCount !== undefined && cmd.dumpCount !== 0;
    // -D and -d keep a driver in the foreground unless -B says otherwise
    const background = !isBackgroundChild && (cmd.background || (cmd.foreground === 0 && cmd.debug === 0 && !dump));
    if (!config.upsNameFound || config.upsName === undefined) {
      throw new DriverFatalError("Error: specifying '-a id' or '-s id' is now mandatory. Try -h for help.");
    }
    if (config.devicePath === undefined) {
      throw new DriverFatalError("Error: you must specify a port name in ups.conf or in '-x port=...' argument.\nTry -h for help.");
    }
    log.debugLevel = config.effectiveDebugLevel(cmd.debug);
    if (cmd.control !== undefined) return await controlRunning(def, config.upsName, cmd, paths.statePath, paths.altPidPath, log);
    log.debug(1, `debug level is '${log.debugLevel}'`);

    if (background && !cmd.kill) return await runInBackground(def.name, cmd.rawArgs, io);

    const userName = config.user ?? RUN_AS_USER;
    const user = findSystemUser(userName);
    if (!user) throw new DriverFatalError(`user ${userName} not found`);
    const becomeError = becomeUser(user);
    if (becomeError !== undefined) throw new DriverFatalError(becomeError);

    const upsName = config.upsName;
    const socketPath = join(paths.statePath, `${def.name}-${upsName}`);
    if (!cmd.kill && !dump) {
      try {
        process.chdir(paths.statePath);
      } catch (err) {
        throw new DriverFatalError(`Can't chdir to ${paths.statePath}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "No such file or directory" : (err as Error).message}`);
      }
      // another instance for the same UPS: ask it to leave, then insist through its PID file
      const pidPath = join(paths.altPidPath, `${def.name}-${upsName}.pid`);
      if (existsSync(socketPath) && (await askToExit(socketPath))) {
        log.warning("Duplicate driver instance detected (local Unix socket exists)! Asked the other driver nicely to self-terminate!");
        // it removes its socket file last while exiting: wait for that (bounded), or its unlink
        // could remove the socket this instance is about to create
        for (let i = 0; i < 50 && existsSync(socketPath); i++) await sleep(100);
      }
      for (let attempt = 0; attempt < 3 && existsSync(pidPath); attempt++) {
        const pid = Number(readFileSync(pidPath, "utf8").trim());
        if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !processAlive(pid)) break;
        log.warning(`Duplicate driver instance detected (PID file ${pidPath} exists)! Terminating other driver!`);
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          break;
        }
        for (let i = 0; i < 50 && processAlive(pid); i++) await sleep(100);
      }
      if (isBackgroundChild || cmd.foreground >= 2) {
        pidFile = pidPath;
        writeFileSync(pidFile, `${process.pid}\n`);
      }
      const onSignal = (sig: NodeJS.Signals, num: number) => () => {
        exitSignal = num;
        wake?.();
      };
      for (const [sig, num] of [["SIGTERM", 15], ["SIGINT", 2], ["SIGQUIT", 3]] as const) {
        const handler = onSignal(sig, num);
        signalHandlers.push([sig, handler]);
        process.on(sig, handler);
      }
      const ignore = (): void => undefined;
      // SIGHUP re-reads ups.conf and the -x arguments (NUT 2.8.1+; 2.8.0 ignored it). The port
      // and the account cannot change without a restart.
      const reload = (): void => {
        log.info("Signal 1: reloading configuration");
        const fresh = new DriverConfig(def.name, def.variables, state, log);
        fresh.user = config.user;
        fresh.userFromCommandLine = config.userFromCommandLine;
        try {
          applyEvents(fresh);
        } catch (err) {
          log.error(`Reload failed, keeping the previous configuration: ${(err as Error).message}`);
          return;
        }
        if (fresh.devicePath !== config.devicePath) {
          log.warning(`The port cannot change without a restart (keeping ${config.devicePath})`);
          state.setInfo("driver.parameter.port", config.devicePath ?? "");
          fresh.devicePath = config.devicePath;
        }
        if (cmd.pollInterval !== undefined && cmd.pollInterval > 0) fresh.pollInterval = cmd.pollInterval;
        config = fresh;
        state.setInfo("driver.parameter.pollinterval", String(config.pollInterval));
      };
      signalHandlers.push(["SIGHUP", reload], ["SIGPIPE", ignore]);
      process.on("SIGHUP", reload);
      process.on("SIGPIPE", ignore);
    }

    const ctx: DriverContext = {
      progName: def.name,
      upsName,
      devicePath: config.devicePath,
      state,
      log,
      paths,
      env: io.env,
      pollInterval: config.pollInterval,
      getVal: (name) => config.getVal(name),
      testVar: (name) => config.testVar(name),
      fatal: (message) => {
        throw new DriverFatalError(message);
      },
    };
    state.setInfo("device.type", "ups");
    driver = def.create(ctx);
    await driver.initUps();
    if (cmd.kill) {
      // 2.8.0 order: shutdown right after initUps, before anything is published
      log.notice("Initiating UPS shutdown");
      await driver.shutdown();
      await cleanup();
      return 0;
    }
    state.setInfo("driver.version", UPS_VERSION);
    state.setInfo("driver.version.internal", def.version);
    state.setInfo("driver.name", def.name);
    await driver.initInfo();
    await driver.updateInfo();
    if (state.getInfo("driver.flag.ignorelb") !== undefined) {
      let methods = 0;
      if (state.getInfo("battery.charge") !== undefined && state.getInfo("battery.charge.low") !== undefined) {
        log.info("using 'battery.charge' to set battery low state");
        methods++;
      }
      if (state.getInfo("battery.runtime") !== undefined && state.getInfo("battery.runtime.low") !== undefined) {
        log.info("using 'battery.runtime' to set battery low state");
        methods++;
      }
      if (methods === 0) {
        throw new DriverFatalError(
          "The 'ignorelb' flag is set, but there is no way to determine the\nbattery state of charge.\n\n" +
            "Only set this flag if both 'battery.charge' and 'battery.charge.low'\nand/or 'battery.runtime' and 'battery.runtime.low' are available.\n",
        );
      }
    }
    if (!dump) {
      const running = driver;
      server = new StateServer(
        state,
        {
          // driver.exit is answered even though it is not listed (ADDCMD), so that upsc and
          // upscmd -l show what a 2.8.0 driver shows; a new instance uses it to take over
          instCmd: (name, param) => {
            if (name.toLowerCase() === "driver.exit") {
              exitSignal = 15;
              wake?.();
              return STAT_HANDLED;
            }
            return running.instCmd ? running.instCmd(name, param) : STAT_UNKNOWN;
          },
          ...(running.setVar ? { setVar: (name: string, value: string) => running.setVar!(name, value) } : {}),
        },
        log,
      );
      socket = await listenUnixStateSocket(socketPath, server, log);
    }
    state.setInfo("driver.parameter.pollinterval", String(config.pollInterval));
    state.setInfo("driver.parameter.synchronous", config.synchronous === 1 ? "yes" : config.synchronous === 0 ? "no" : "auto");
    for (const what of ["mfr", "model", "serial"]) {
      const v = state.getInfo(`ups.${what}`);
      if (v !== undefined) state.setInfo(`device.${what}`, v);
    }
    if (isBackgroundChild) {
      signalReady((t) => io.stdout(t));
      logSink = openSyslog(`${def.name}`, io.env) ?? logSink;
    }

    let updates = 0;
    while (exitSignal === undefined) {
      const deadline = Date.now() + config.pollInterval * 1000;
      await driver.updateInfo();
      if (dump) {
        if (updates === cmd.dumpCount) {
          io.stdout(state.tree.variables().map((v) => `${v.name}: ${v.escapedValue}\n`).join(""));
          break;
        }
        updates++;
        continue;
      }
      const left = deadline - Date.now();
      if (left > 0 && exitSignal === undefined) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
    if (exitSignal !== undefined) log.info(`Signal ${exitSignal}: exiting`);
    await cleanup();
    return 0;
  } catch (err) {
    await cleanup();
    if (err instanceof UnknownDriverVariableError) {
      io.stdout(err.stdout);
      return 0;
    }
    if (err instanceof DriverFatalError) {
      log.error(err.message);
      return err.exitCode;
    }
    log.error(`Fatal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
