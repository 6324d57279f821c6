/**
 * usbhid-ups (NUT 2.8.0 drivers/usbhid-ups.c, `Generic HID driver 0.47`): opens the USB HID
 * UPS a subdriver claims, parses its report descriptor, runs the subdriver's hid2nut table
 * (INIT walk in initUps as 2.8.0 does, then quick/full walks every poll, interrupt reports in
 * between) and drives the device through SET_REPORT for SET, instant commands and -k.
 */
import { type Driver, type DriverContext, type DriverDefinition, type DriverVariable, type HandlerStatus, STAT_HANDLED } from "../framework/driver.ts";
import { UsbError, UsbLibraryMissingError, UsbNoDeviceError, UsbTransport } from "../transport/usb.ts";
import { USB_MATCH_OPTIONS, type UsbDeviceIdentity, type UsbMatchOptions } from "../transport/usb-matcher.ts";
import { DEFAULT_OFFDELAY, DEFAULT_ONDELAY } from "./hid-delays.ts";
import { parseReportDescriptor } from "./hid-report-descriptor.ts";
import { HidReportCache, type HidReportIo, isHidIoError } from "./hid-report-cache.ts";
import { type HidDeviceIdentity, type HidDeviceTweaks, type HidSubdriver, mutableItems, usbIdSupport } from "./hid-subdriver.ts";
import { HidUpsMapper } from "./hid-ups-mapper.ts";
import { HID_SUBDRIVERS } from "./hid-subdriver-list.ts";

const DEFAULT_POLLFREQ = 30;

const VARIABLES: readonly DriverVariable[] = [
  { kind: "value", name: "lowbatt", description: "Set low battery level, in % (default=30)" },
  { kind: "value", name: "offdelay", description: `Set shutdown delay, in seconds (default=${DEFAULT_OFFDELAY})` },
  { kind: "value", name: "ondelay", description: `Set startup delay, in seconds (default=${DEFAULT_ONDELAY})` },
  { kind: "value", name: "pollfreq", description: `Set polling frequency, in seconds, to reduce data flow (default=${DEFAULT_POLLFREQ})` },
  { kind: "flag", name: "pollonly", description: "Don't use interrupt pipe, only use polling" },
  { kind: "flag", name: "onlinedischarge", description: "Set to treat discharging while online as being offline" },
  { kind: "value", name: "vendor", description: "Regular expression to match UPS Manufacturer string" },
  { kind: "value", name: "product", description: "Regular expression to match UPS Product string" },
  { kind: "value", name: "serial", description: "Regular expression to match UPS Serial number" },
  { kind: "value", name: "vendorid", description: "Regular expression to match UPS Manufacturer numerical ID (4 digits hexadecimal)" },
  { kind: "value", name: "productid", description: "Regular expression to match UPS Product numerical ID (4 digits hexadecimal)" },
  { kind: "value", name: "bus", description: "Regular expression to match USB bus name" },
  { kind: "value", name: "device", description: "Regular expression to match USB device name" },
  { kind: "value", name: "usb_set_altinterface", description: "Force redundant call to usb_set_altinterface() (value=bAlternateSetting; default=0)" },
  { kind: "flag", name: "explore", description: "Diagnostic matching of unsupported UPS" },
  { kind: "flag", name: "maxreport", description: "Activate tweak for buggy APC Back-UPS firmware" },
  { kind: "flag", name: "interruptonly", description: "Don't use polling, only use interrupt pipe" },
  { kind: "value", name: "interruptsize", description: "Number of bytes to read from interrupt pipe" },
];

/** HID class requests on interface 0 and interrupt endpoint 0x81, as libusb1.c sends them. */
function usbReportIo(usb: UsbTransport): HidReportIo {
  return {
    getFeatureReport: (id, length) => usb.controlTransfer(0xa1, 0x01, 0x0300 + id, 0, length),
    setFeatureReport(id, data) {
      const r = usb.controlTransfer(0x21, 0x09, 0x0300 + id, 0, data);
      return r instanceof UsbError ? r : r.length;
    },
    interruptRead: (length, timeoutMs) => usb.interruptRead(0x81, length, timeoutMs),
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
  readonly #tweaks: HidDeviceTweaks;

  constructor(ctx: DriverContext) {
    this.#ctx = ctx;
    this.#tweaks = { maxReportSize: false, useInterruptPipe: true, log: (m) => ctx.log.info(m) };
  }

  #claim(device: UsbDeviceIdentity): HidSubdriver | undefined {
    for (const sub of HID_SUBDRIVERS) {
      const { support, id } = usbIdSupport(sub.usbIds, device.vendorId, device.productId);
      if (support === "supported") {
        id?.onMatch?.(toHidIdentity(device), this.#tweaks);
        return sub;
      }
      if (support === "possibly") {
        const productidGiven = this.#ctx.getVal("productid") !== undefined;
        const claimed = sub.claimPossibly ? sub.claimPossibly(toHidIdentity(device), productidGiven, (l, m) => this.#ctx.log.debug(l, m)) : productidGiven;
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
    let chosen: HidSubdriver | undefined;
    try {
      this.#usb = UsbTransport.open({
        match,
        leaveDeviceUnset: true,
        accept: (device) => (chosen = this.#claim(device)) !== undefined,
        debug: (level, message) => ctx.log.debug(level, message),
      });
    } catch (error) {
      if (error instanceof UsbLibraryMissingError) ctx.fatal("USB needs libusb-1.0: install package libusb-1.0-0");
      if (error instanceof UsbNoDeviceError) ctx.fatal("No matching HID UPS found");
      ctx.fatal((error as Error).message.startsWith("invalid regular expression") ? (error as Error).message : `No matching HID UPS found`);
    }
    const usb = this.#usb;
    const sub = chosen;
    if (sub === undefined) ctx.fatal("No matching HID UPS found");
    this.#sub = sub;
    const rdesc = usb.hidReportDescriptor();
    if (rdesc instanceof UsbError) ctx.fatal(`No matching HID UPS found`);
    ctx.log.debug(2, `Report Descriptor size = ${rdesc.descriptor.length}`);
    const parsed = parseReportDescriptor(rdesc.descriptor);
    ctx.log.info(`Using subdriver: ${sub.name}`);
    const identity = toHidIdentity(usb.identity);
    const items = mutableItems(parsed);
    if (sub.fixReportDescriptor?.(identity, items, (l, m) => ctx.log.debug(l, m))) ctx.log.debug(2, "Report Descriptor Fixed");
    const desc = { ...parsed, items };
    ctx.log.debug(1, `${items.length} HID objects found`);
    const cache = new HidReportCache(desc, usbReportIo(usb), (l, m) => ctx.log.debug(l, m));
    cache.maxReportSize = this.#tweaks.maxReportSize || ctx.testVar("maxreport");
    cache.interruptOnly = ctx.testVar("interruptonly");
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
    const model = sub.formatModel(identity);
    const serial = sub.formatSerial(identity);
    for (const [name, value] of extras) state.setInfo(name, value);
    for (const [name, value] of [["ups.mfr", mfr], ["ups.model", model], ["ups.serial", serial]] as const) {
      if (value !== undefined) state.setInfo(name, value);
      else state.delInfo(name);
    }
    state.setInfo("ups.vendorid", identity.vendorId.toString(16).padStart(4, "0"));
    state.setInfo("ups.productid", identity.productId.toString(16).padStart(4, "0"));
    const mapper = new HidUpsMapper(sub, items, cache, state, ctx.log, {
      stringDescriptor: (index) => {
        const s = usb.stringDescriptor(index);
        return s instanceof UsbError ? undefined : s;
      },
      getInfo: (name) => state.getInfo(name),
      debug: (level, message) => ctx.log.debug(level, message),
      logInfo: (message) => ctx.log.info(message),
    });
    mapper.age = ctx.pollInterval;
    this.#mapper = mapper;
    this.#connected = true;
  }

  initUps(): void {
    const ctx: DriverContext = this.#ctx;
    ctx.log.debug(1, "upsdrv_initups (non-SHUT)...");
    if (ctx.testVar("explore") && ctx.getVal("vendorid") === undefined) ctx.fatal('must specify "vendorid" when using "explore"');
    this.#open();
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
      if (!this.#usb!.reconnect()) {
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
    mapper.status.publish(state, ctx.upsName, ctx.testVar("onlinedischarge"), (m) => ctx.log.warning(m));
    state.statusCommit();
    state.dataOk();
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
  variables: VARIABLES,
  create: (ctx) => new UsbHidUps(ctx),
};
