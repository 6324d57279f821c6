/**
 * usbhid-ups (NUT 2.8.0 drivers/usbhid-ups.c, `Generic HID driver 0.47`): opens the USB HID
 * UPS a subdriver claims, parses its report descriptor, runs the subdriver's hid2nut table
 * (INIT walk in initUps as 2.8.0 does, then quick/full walks every poll, interrupt reports in
 * between) and drives the device through SET_REPORT for SET, instant commands and -k.
 */
import { type Driver, type DriverContext, type DriverDefinition, type DriverVariable, type HandlerStatus, STAT_HANDLED } from "../framework/driver.ts";
import { libusbVersionText, UsbClaimError, UsbError, UsbLibraryMissingError, UsbNoDeviceError, UsbTransport } from "../transport/usb.ts";
import { interruptInAddress, resolveUsbHidInterface, USB_HID_NUMBER_OPTION_TEXT, USB_HID_NUMBER_OPTIONS } from "../transport/usb-hid-interface.ts";
import { logNoUsbHidDevice, logUsbHidDeviceRefused } from "../transport/usb-open-failure.ts";
import { USB_MATCH_OPTIONS, type UsbDeviceIdentity, type UsbMatchOptions } from "../transport/usb-matcher.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import { parseReportDescriptor } from "./hid-report-descriptor.ts";
import { HidReportCache, type HidReportIo, isHidIoError } from "./hid-report-cache.ts";
import { type HidDeviceIdentity, type HidDeviceTweaks, type HidSubdriver, mutableItems, possiblySupportedMessage, usbIdSupport } from "./hid-subdriver.ts";
import { HidUpsMapper } from "./hid-ups-mapper.ts";
import { hidDeviceReader } from "./hid-device-reader.ts";
import { HID_SUBDRIVERS } from "./hid-subdriver-list.ts";
import { EXPLORE_SUBDRIVER, exploreClaims } from "./explore-hid.ts";
import { dumpHidTree } from "./hid-dump-tree.ts";
import type { NutLog } from "../../core/system/nut-log.ts";
import { upsdebugHex } from "../../core/system/upsdebug-hex.ts";

const DEFAULT_POLLFREQ = 30;
/** libusb1.c's communication driver, named in the banner and the first debug line. */
const USB_COMM_DRIVER = { name: "USB communication driver (libusb 1.0)", version: "0.43" } as const;
/** The libusb to load: NUT_TS_LIBUSB (a soname or path, for unusual installs and tests) or the usual soname. */
const libusbLibrary = (env: Readonly<Record<string, string | undefined>>): string | undefined => env.NUT_TS_LIBUSB || undefined;

const VARIABLES: readonly DriverVariable[] = [
  { kind: "value", name: "lowbatt", description: "Set low battery level, in % (default=30)" },
  { kind: "value", name: "offdelay", description: `Set shutdown delay, in seconds (default=${DEFAULT_OFFDELAY})` },
  { kind: "value", name: "ondelay", description: `Set startup delay, in seconds (default=${DEFAULT_ONDELAY})` },
  { kind: "value", name: "pollfreq", description: `Set polling frequency, in seconds, to reduce data flow (default=${DEFAULT_POLLFREQ})` },
  { kind: "flag", name: "pollonly", description: "Don't use interrupt pipe, only use polling" },
  { kind: "flag", name: "onlinedischarge", description: "Set to treat discharging while online as being offline" },
  // NUT 2.8.1+ (texts of 2.8.5); onlinedischarge keeps 2.8.0's text, so -h differs from
  // Debian's 2.8.0 only by these lines
  { kind: "flag", name: "onlinedischarge_onbattery", description: "Set to treat discharging while online as being offline/on-battery" },
  { kind: "flag", name: "onlinedischarge_calibration", description: "Set to treat discharging while online as doing calibration" },
  { kind: "value", name: "onlinedischarge_log_throttle_sec", description: "Set to throttle log messages about discharging while online (only so often)" },
  { kind: "value", name: "onlinedischarge_log_throttle_hovercharge", description: "Set to throttle log messages about discharging while online (only if battery.charge is under this value)" },
  { kind: "value", name: "lbrb_log_delay_sec", description: "Set to delay status-setting (and log messages) about device in LB or LB+RB state" },
  { kind: "flag", name: "lbrb_log_delay_without_calibrating", description: "Set to apply lbrb_log_delay_sec even if device is not calibrating" },
  { kind: "value", name: "vendor", description: "Regular expression to match UPS Manufacturer string" },
  { kind: "value", name: "product", description: "Regular expression to match UPS Product string" },
  { kind: "value", name: "serial", description: "Regular expression to match UPS Serial number" },
  { kind: "value", name: "vendorid", description: "Regular expression to match UPS Manufacturer numerical ID (4 digits hexadecimal)" },
  { kind: "value", name: "productid", description: "Regular expression to match UPS Product numerical ID (4 digits hexadecimal)" },
  { kind: "value", name: "bus", description: "Regular expression to match USB bus name" },
  { kind: "value", name: "device", description: "Regular expression to match USB device name" },
  { kind: "value", name: "usb_set_altinterface", description: "Force redundant call to usb_set_altinterface() (value=bAlternateSetting; default=0)" },
  // later NUT (nut_usb_addvars); 2.8.0 has none of them
  ...USB_HID_NUMBER_OPTIONS.map((name): DriverVariable => ({ kind: "value", name, description: USB_HID_NUMBER_OPTION_TEXT })),
  { kind: "flag", name: "explore", description: "Diagnostic matching of unsupported UPS" },
  { kind: "flag", name: "maxreport", description: "Activate tweak for buggy APC Back-UPS firmware" },
  { kind: "flag", name: "interruptonly", description: "Don't use polling, only use interrupt pipe" },
  { kind: "value", name: "interruptsize", description: "Number of bytes to read from interrupt pipe" },
];

/**
 * libusb1.c's nut_libusb_strerror(): how a failed transfer is logged. Unplug-like errors (and
 * PIPE, OTHER …) go out as upslogx lines, a timeout or overflow only at debug level 2.
 */
function logUsbError(log: NutLog, what: string, error: UsbError): void {
  if (error.code === "TIMEOUT") log.debug(2, `${what}: Connection timed out`);
  else if (error.code === "OVERFLOW") log.debug(2, `${what}: ${error.message}`);
  else log.info(`${what}: ${error.message}`);
}

/** HID class requests on interface 0 and interrupt endpoint 0x81, as libusb1.c sends them. */
function usbReportIo(usb: UsbTransport, log: NutLog): HidReportIo {
  return {
    getFeatureReport(id, length) {
      log.debug(4, "Entering libusb_get_report");
      const r = usb.controlTransfer(0xa1, 0x01, 0x0300 + id, usb.hidInterface.interfaceNumber, length);
      // 0 bytes: nut_libusb_get_report's 0, the same "try again later" as an error
      if (!(r instanceof UsbError)) return r.length > 0 ? r : { code: "ERRNO_EMPTY", message: "empty report" };
      // a STALL (unsupported report) is ignored silently; 2.8.0's libhid then hands the walk
      // -errno instead of libusb's code, which never equals the codes it reconnects on: a
      // failed GET_REPORT skips the item, and a lost device is noticed on the interrupt pipe
      if (r.code !== "PIPE") logUsbError(log, "nut_libusb_get_report", r);
      return { code: `ERRNO_${r.code}`, message: r.message };
    },
    setFeatureReport(id, data) {
      const r = usb.controlTransfer(0x21, 0x09, 0x0300 + id, usb.hidInterface.interfaceNumber, data);
      if (!(r instanceof UsbError)) return r.length;
      if (r.code !== "PIPE") logUsbError(log, "nut_libusb_set_report", r);
      return r;
    },
    interruptRead(length, timeoutMs) {
      const endpoint = interruptInAddress(usb.hidInterface);
      const r = usb.interruptRead(endpoint, length, timeoutMs);
      if (!(r instanceof UsbError)) return r;
      if (r.code === "PIPE") {
        // libusb1.c clears the halt and goes on with the halt's result
        // (libusb1.c clears 0x81 whatever endpoint stalled: the one read is cleared here)
        const cleared = usb.clearHalt(endpoint);
        if (cleared === undefined) return new Uint8Array(0);
        logUsbError(log, "nut_libusb_get_interrupt", cleared);
        return cleared;
      }
      logUsbError(log, "nut_libusb_get_interrupt", r);
      return r;
    },
  };
}

const toHidIdentity = (d: UsbDeviceIdentity): HidDeviceIdentity => ({ vendorId: d.vendorId, productId: d.productId, vendor: d.vendor, product: d.product, serial: d.serial });

class UsbHidUps implements Driver {
  readonly #ctx: DriverContext;
  #usb: UsbTransport | undefined;
  #sub: HidSubdriver | undefined;
  #mapper: HidUpsMapper | undefined;
  #cache: HidReportCache | undefined;
  #connected = false;
  #lastPoll = 0;
  #pollFreq = DEFAULT_POLLFREQ;
  /** hd->Product after the subdriver's formatting (MGE stores its model name there). */
  #detectedProduct: string | undefined;
  #initialized = false;
  readonly #tweaks: HidDeviceTweaks;

  constructor(ctx: DriverContext) {
    this.#ctx = ctx;
    this.#tweaks = { maxReportSize: false, useInterruptPipe: true, log: (m) => ctx.log.info(m), debug: (l, m) => ctx.log.debug(l, m), usb: {} };
  }

  #claim(device: UsbDeviceIdentity): HidSubdriver | undefined {
    for (const sub of HID_SUBDRIVERS) {
      const { support, id } = usbIdSupport(sub.usbIds, device.vendorId, device.productId);
      if (support === "supported") {
        id?.onMatch?.(toHidIdentity(device), this.#tweaks);
        if (sub.claimSupported !== undefined && !sub.claimSupported(toHidIdentity(device))) continue;
        return sub;
      }
      if (support === "possibly") {
        const productidGiven = this.#ctx.getVal("productid") !== undefined;
        const debug = (l: number, m: string): void => this.#ctx.log.debug(l, m);
        // without a hook: the generic branch of 2.8.0's claims (productid, else the notice)
        if (sub.claimPossibly === undefined && !productidGiven) debug(0, possiblySupportedMessage(sub.vendorLabel, toHidIdentity(device)));
        const claimed = sub.claimPossibly ? sub.claimPossibly(toHidIdentity(device), productidGiven, debug, this.#tweaks) : productidGiven;
        if (claimed) return sub;
      }
    }
    return undefined;
  }

  /** Opens the device and sets up descriptor, cache and mapping (NUT's callback()). */
  #open(): void {
    const ctx: DriverContext = this.#ctx;
    const match: UsbMatchOptions = {};
    for (const name of USB_MATCH_OPTIONS) {
      const v = ctx.getVal(name);
      if (v !== undefined) match[name] = v;
    }
    const getVal = (name: string): string | undefined => ctx.getVal(name);
    try {
      resolveUsbHidInterface(getVal, {}); // the usb_hid_* options are checked before any device
    } catch (error) {
      ctx.fatal((error as Error).message);
    }
    let chosen: HidSubdriver | undefined;
    try {
      const library = libusbLibrary(ctx.env);
      this.#usb = UsbTransport.open({
        ...(library !== undefined ? { library } : {}),
        match,
        leaveDeviceUnset: true,
        // match_function_subdriver(), the first matcher of 2.8.0's chain
        accept: (device) => {
          ctx.log.debug(2, "match_function_subdriver (non-SHUT mode): matching a device...");
          // USB numbers a claim chose for a device tried before do not carry over (later NUT's
          // nut_libusb_subdriver_defaults)
          this.#tweaks.usb = {};
          // explore is first in NUT's claim order and takes any device while its option is set
          chosen = exploreClaims((name) => ctx.testVar(name)) ? EXPLORE_SUBDRIVER : this.#claim(device);
          if (chosen === undefined) ctx.log.debug(2, "match_function_subdriver (non-SHUT mode): failed to match a subdriver to vendor and/or product ID");
          return chosen !== undefined;
        },
        // the claim's interface and endpoints, the usb_hid_* options over them; configuration 0
        // unless usb_config_index says otherwise (2.8.0 took the interface number, see
        // usb-hid-interface.ts)
        hidInterface: () => resolveUsbHidInterface(getVal, this.#tweaks.usb ?? {}),
        requireConfigDescriptor: true,
        ...(ctx.testVar("usb_set_altinterface") ? { altInterface: { value: ctx.getVal("usb_set_altinterface") } } : {}),
        log: (level, message) => (level === "warning" ? ctx.log.warning(message) : ctx.log.notice(message)),
        debug: (level, message) => ctx.log.debug(level, message),
        onReconnectNoDevice: (scan) => logNoUsbHidDevice(ctx.log, scan),
      });
    } catch (error) {
      if (error instanceof UsbLibraryMissingError) ctx.fatal("USB needs libusb-1.0: install package libusb-1.0-0");
      if (error instanceof UsbNoDeviceError) {
        logNoUsbHidDevice(ctx.log, error);
        ctx.fatal("No matching HID UPS found");
      }
      // libusb1.c: fatalx "Can't claim USB device [vvvv:pppp]@i/d: <libusb_strerror>"
      if (error instanceof UsbClaimError) ctx.fatal(error.message);
      ctx.fatal((error as Error).message.startsWith("invalid regular expression") ? (error as Error).message : `No matching HID UPS found`);
    }
    const usb = this.#usb;
    const sub = chosen;
    if (sub === undefined) ctx.fatal("No matching HID UPS found");
    this.#sub = sub;
    const rdesc = usb.hidReportDescriptor();
    if (rdesc instanceof UsbError) {
      // libusb1.c's texts for these two; it then goes on to the next device
      if (rdesc.code === "NOT_FOUND" || rdesc.code === "OVERFLOW") ctx.log.debug(2, rdesc.message);
      logUsbHidDeviceRefused(ctx.log, false);
      ctx.fatal("No matching HID UPS found");
    }
    ctx.log.debug(2, `Report Descriptor size = ${rdesc.descriptor.length}`);
    upsdebugHex((l, m) => ctx.log.debug(l, m), (l) => ctx.log.debugLevel >= l, 3, "Report Descriptor", rdesc.descriptor);
    const parsed = parseReportDescriptor(rdesc.descriptor);
    // hidparser.c's upslogx(LOG_WARNING / LOG_ERR) lines, as Parse_ReportDesc() prints them
    for (const line of parsed.log) {
      if (line.level === "warning") ctx.log.warning(line.message);
      else ctx.log.error(line.message);
    }
    // Parse_ReportDesc() gives NULL without a single object: the callback refuses the device
    if (parsed.items.length === 0) {
      ctx.log.debug(1, "Failed to parse report descriptor!");
      logUsbHidDeviceRefused(ctx.log, true);
      ctx.fatal("No matching HID UPS found");
    }
    // callback() selects the subdriver by claiming once more (same device, same result), so
    // whatever a claim logs (openUPS's scales, "possibly supported" notices) comes out twice
    if (sub !== EXPLORE_SUBDRIVER) this.#claim(usb.identity);
    ctx.log.info(`Using subdriver: ${sub.name}`);
    const identity = toHidIdentity(usb.identity);
    const items = mutableItems(parsed);
    if (sub.fixReportDescriptor?.(identity, items, (l, m) => ctx.log.debug(l, m))) ctx.log.debug(2, "Report Descriptor Fixed");
    const desc = { ...parsed, items };
    const cache = new HidReportCache(desc, usbReportIo(usb, ctx.log), (l, m) => ctx.log.debug(l, m));
    cache.debugEnabled = (level) => ctx.log.debugLevel >= level;
    cache.maxReportSize = this.#tweaks.maxReportSize || ctx.testVar("maxreport");
    // a claim's interrupt_only / interrupt_size (PowerCOM 0d9f:0001) hold from the claim on,
    // so for HIDDumpTree() too; the options apply after the open, as in 2.8.0
    cache.interruptOnly = this.#tweaks.interruptOnly === true;
    if (this.#tweaks.interruptSize !== undefined) cache.interruptSize = this.#tweaks.interruptSize;
    dumpHidTree(items, cache, identity, sub.usageTable, ctx.log);
    if (ctx.testVar("interruptonly")) cache.interruptOnly = true;
    const isize = ctx.getVal("interruptsize");
    if (isize !== undefined) {
      const n = Number.parseInt(isize, 10) || 0;
      if (n <= 0) ctx.fatal(`Error: invalid interruptsize: ${n}`);
      cache.interruptSize = n;
    }
    this.#cache = cache;
    const state = ctx.state;
    const mfr = sub.formatMfr(identity);
    const extras = sub.identityExtras?.(identity) ?? [];
    // nut_libusb_get_string(): a failure is logged as libusb1.c does and reads as no string
    const readString = (index: number): string | undefined => {
      const s = usb.stringDescriptor(index);
      if (!(s instanceof UsbError)) return s;
      logUsbError(ctx.log, "nut_libusb_get_string", s);
      return undefined;
    };
    const reader = hidDeviceReader(items, sub.usageTable, cache, readString, (l, m) => ctx.log.debug(l, m));
    const model = sub.formatModel(identity, reader);
    this.#detectedProduct = sub.modelReplacesProduct === true ? model : identity.product;
    const serial = sub.formatSerial(identity, reader);
    for (const [name, value] of extras) state.setInfo(name, value);
    for (const [name, value] of [["ups.mfr", mfr], ["ups.model", model], ["ups.serial", serial]] as const) {
      if (value !== undefined) state.setInfo(name, value);
      else state.delInfo(name);
    }
    state.setInfo("ups.vendorid", identity.vendorId.toString(16).padStart(4, "0"));
    state.setInfo("ups.productid", identity.productId.toString(16).padStart(4, "0"));
    const mapper = new HidUpsMapper(sub, items, cache, state, ctx.log, {
      stringDescriptor: readString,
      getInfo: (name) => state.getInfo(name),
      debug: (level, message) => ctx.log.debug(level, message),
      logInfo: (message) => ctx.log.info(message),
      logNotice: (message) => ctx.log.notice(message),
    });
    mapper.age = ctx.pollInterval;
    this.#mapper = mapper;
    // nut_libusb_open() once its callback (everything above) took the device
    ctx.log.debug(2, `Report descriptor retrieved (Reportlen = ${rdesc.descriptor.length})`);
    ctx.log.debug(2, "Found HID device");
    this.#connected = true;
  }

  initUps(): void {
    const ctx: DriverContext = this.#ctx;
    // nut_usb_addvars() publishes the library's version before anything else happens
    try {
      ctx.state.setInfo("driver.version.usb", libusbVersionText(libusbLibrary(ctx.env)));
    } catch (error) {
      if (error instanceof UsbLibraryMissingError) ctx.fatal("USB needs libusb-1.0: install package libusb-1.0-0");
      throw error;
    }
    ctx.log.debug(2, `Initializing an USB-connected UPS with library ${ctx.state.getInfo("driver.version.usb")} (NUT subdriver name='${USB_COMM_DRIVER.name}' ver='${USB_COMM_DRIVER.version}')`);
    ctx.log.debug(1, "upsdrv_initups (non-SHUT)...");
    if (ctx.testVar("explore") && ctx.getVal("vendorid") === undefined) ctx.fatal('must specify "vendorid" when using "explore"');
    this.#open();
    ctx.log.debug(1, `Detected a UPS: ${this.#usb!.identity.vendor ?? "unknown"}/${this.#detectedProduct ?? "unknown"}`);
    // the status options (2.8.5's order: after opening, lbrb_log_delay_sec defaulted by model)
    const device = this.#usb!.identity;
    this.#mapper!.status.configureFrom({
      getVal: (name) => ctx.getVal(name),
      testVar: (name) => ctx.testVar(name),
      vendor: device.vendor,
      product: device.product,
      warning: (message) => ctx.log.warning(message),
      info: (message) => ctx.log.info(message),
    });
    if (!this.#mapper!.walk("init")) ctx.fatal("Can't initialize data from HID UPS");
    const state = ctx.state;
    const override = (variable: string, option: string): void => {
      const v = ctx.getVal(option);
      if (state.getInfo(variable) !== undefined && v !== undefined) state.setInfo(variable, String(Number.parseInt(v, 10) || 0));
    };
    override("battery.charge.low", "lowbatt");
    override("ups.delay.start", "ondelay");
    override("ups.delay.shutdown", "offdelay");
    const m = this.#mapper!;
    if (m.findRow("load.off.delay")) state.addCmd("load.off");
    if (m.findRow("load.on.delay")) state.addCmd("load.on");
    if (m.findRow("load.off.delay") && m.findRow("load.on.delay")) {
      state.addCmd("shutdown.return");
      state.addCmd("shutdown.stayoff");
    }
    this.#initialized = true;
  }

  initInfo(): void {
    const ctx: DriverContext = this.#ctx;
    ctx.log.debug(1, "upsdrv_initinfo...");
    ctx.state.setInfo("driver.version.data", this.#sub!.name);
    const pf = ctx.getVal("pollfreq");
    if (pf !== undefined) this.#pollFreq = Number.parseInt(pf, 10) || 0;
    ctx.state.setInfo("driver.parameter.pollfreq", String(this.#pollFreq));
    if (ctx.testVar("pollonly")) this.#tweaks.useInterruptPipe = false;
    this.#lastPoll = Math.floor(Date.now() / 1000);
  }

  updateInfo(): void {
    const ctx: DriverContext = this.#ctx;
    const mapper = this.#mapper!;
    const cache = this.#cache!;
    ctx.log.debug(1, "upsdrv_updateinfo...");
    const now = Math.floor(Date.now() / 1000);
    if (!this.#connected) {
      if (now < this.#lastPoll + ctx.pollInterval) return;
      ctx.log.debug(1, "Got to reconnect!\n");
      if (!this.#reconnect()) {
        this.#lastPoll = now;
        ctx.state.dataStale();
        return;
      }
      this.#connected = true;
      if (!mapper.walk("init")) {
        this.#connected = false;
        return;
      }
    }
    if (this.#tweaks.useInterruptPipe) {
      const events = cache.readEvents();
      if (isHidIoError(events)) {
        if (["BUSY", "NO_DEVICE", "ACCESS", "IO", "NOT_FOUND"].includes(events.code)) {
          if (events.code === "BUSY") ctx.log.error("Got disconnected by another driver");
          this.#connected = false;
          return;
        }
        ctx.log.debug(1, "Got 0 HID objects...");
      } else {
        ctx.log.debug(1, `Got ${events.length} HID objects...`);
        mapper.applyEvents(events);
      }
    } else {
      ctx.log.debug(1, "Not using interrupt pipe...");
    }
    const state = ctx.state;
    state.statusInit();
    if (now > this.#lastPoll + this.#pollFreq || mapper.dataHasChanged) {
      ctx.log.debug(1, "Full update...");
      state.alarmInit();
      if (!mapper.walk("full")) {
        this.#connected = false;
        return;
      }
      this.#lastPoll = now;
      mapper.dataHasChanged = false;
      for (const text of mapper.status.alarms()) state.alarmSet(text);
      state.alarmCommit();
    } else {
      ctx.log.debug(1, "Quick update...");
      if (!mapper.walk("quick")) {
        this.#connected = false;
        return;
      }
    }
    mapper.status.publish(state, ctx.upsName, ctx.testVar("onlinedischarge"), (m) => ctx.log.warning(m), (l, m) => ctx.log.debug(l, m));
    state.statusCommit();
    state.dataOk();
  }

  /** reconnect_ups(): close, then look for the same device again; any failure means "not yet". */
  #reconnect(): boolean {
    const log = this.#ctx.log;
    log.debug(4, "==================================================");
    log.debug(4, "= device has been disconnected, try to reconnect =");
    log.debug(4, "==================================================");
    try {
      return this.#usb!.reconnect();
    } catch (error) {
      // libusb can fail in enumeration while the bus settles: retried at the next poll
      log.debug(1, `reconnect failed: ${(error as Error).message}`);
      return false;
    }
  }

  /** 2.8.0: shutdown.return, shutdown.reboot, load.off.delay; the first success ends it. */
  async shutdown(): Promise<void> {
    const mapper = this.#mapper!;
    for (const cmd of ["shutdown.return", "shutdown.reboot", "load.off.delay"]) {
      if ((await mapper.instCmd(cmd, undefined)) === STAT_HANDLED) return;
    }
    this.#ctx.fatal("Shutdown failed!");
  }

  cleanup(): void {
    // main.c registers upsdrv_cleanup with atexit() only once upsdrv_initups() has returned
    if (this.#initialized) this.#ctx.log.debug(1, "upsdrv_cleanup...");
    this.#usb?.close();
  }

  instCmd(name: string, param: string | undefined): Promise<HandlerStatus> {
    if (name.toLowerCase() === "shutdown.default") return this.shutdown().then(() => STAT_HANDLED);
    return this.#mapper!.instCmd(name, param);
  }

  setVar(name: string, value: string): Promise<HandlerStatus> {
    return this.#mapper!.setVar(name, value);
  }
}

export const USBHID_UPS: DriverDefinition = {
  name: "usbhid-ups",
  description: "Generic HID driver",
  version: "0.47",
  // libusb1.c's comm_upsdrv_info
  subdriverInfo: [USB_COMM_DRIVER],
  variables: VARIABLES,
  create: (ctx) => new UsbHidUps(ctx),
};
