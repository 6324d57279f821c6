/**
 * usbhid-ups' report buffer (NUT 2.8.0 libhid.c reportbuf_t): one buffer per report ID, each
 * with the second it was last filled. Reads use the buffer while it is younger than `age`
 * seconds, else GET_REPORT(Feature) refills it; interrupt-IN reports are filed into the same
 * buffers; SET_REPORT sends the whole patched buffer and expires every buffer.
 */
import { HID_ITEM_INPUT, type HidData, type ParsedReportDescriptor, reportBufferLength } from "./hid-report-descriptor.ts";
import { decodeItemValue, encodeItemValue } from "./hid-value.ts";
import { upsdebugHex } from "../../core/system/upsdebug-hex.ts";

/** A failed transfer; `code` is libusb's error name (TIMEOUT, NO_DEVICE, PIPE …). */
export interface HidIoError {
  readonly code: string;
  readonly message: string;
}

export const isHidIoError = (x: unknown): x is HidIoError => typeof x === "object" && x !== null && !(x instanceof Uint8Array) && "code" in x;

/** The three HID class transfers usbhid-ups needs (a UsbTransport fits through hid-usb-io.ts). */
export interface HidReportIo {
  /** GET_REPORT(Feature, id) of at most `length` bytes; the answer starts with the ID byte. */
  getFeatureReport(reportId: number, length: number): Uint8Array | HidIoError;
  /** SET_REPORT(Feature, id) with `data` (ID byte first). */
  setFeatureReport(reportId: number, data: Uint8Array): number | HidIoError;
  /** One interrupt-IN transfer of at most `length` bytes. */
  interruptRead(length: number, timeoutMs: number): Uint8Array | HidIoError;
}

/**
 * What `maxreport` asks for: libhid.c's sizeof(rbuf->data[id]), and data[id] is a pointer since
 * the buffers are allocated, so 8 bytes on 64-bit hosts (Debian's 2.8.0 sends wLength 8).
 */
const MAX_REPORT_BUFFER = 8;
/** libhid.c dumps every report it reads, files or sends at this debug level. */
const REPORT_DUMP_LEVEL = 3;
/** HIDGetEvents' read buffer (SMALLBUF) and its timeout. */
const INTERRUPT_BUFFER = 512;
const INTERRUPT_TIMEOUT_MS = 750;
/** MAX_EVENT_NUM. */
const MAX_EVENTS = 32;

export type HidReadResult = { ok: true; value: number } | { ok: false; error: HidIoError };

export class HidReportCache {
  readonly #desc: ParsedReportDescriptor;
  readonly #io: HidReportIo;
  readonly #data: Uint8Array[] = [];
  readonly #stamp: number[] = new Array<number>(256).fill(0);
  readonly #debug: (level: number, message: string) => void;
  readonly #now: () => number;
  /** `interruptonly`: never GET_REPORT. */
  interruptOnly = false;
  /** `maxreport`: ask for the whole buffer instead of the descriptor's length. */
  maxReportSize = false;
  /** `interruptsize`, 0 = NUT's 512-byte buffer. */
  interruptSize = 0;
  /** Whether `debug` prints at a level: the report hex dumps are only formatted when it does. */
  debugEnabled: (level: number) => boolean = () => false;

  constructor(desc: ParsedReportDescriptor, io: HidReportIo, debug: (level: number, message: string) => void = () => undefined, now: () => number = () => Math.floor(Date.now() / 1000)) {
    this.#desc = desc;
    this.#io = io;
    this.#debug = debug;
    this.#now = now;
    for (let id = 0; id < 256; id++) this.#data.push(new Uint8Array(reportBufferLength(desc, id)));
  }

  /** The buffered bytes of one report (ID byte first). */
  buffer(reportId: number): Uint8Array {
    return this.#data[reportId] ?? new Uint8Array(1);
  }

  #hex(message: string, bytes: Uint8Array): void {
    upsdebugHex(this.#debug, this.debugEnabled, REPORT_DUMP_LEVEL, message, bytes);
  }

  /** refresh_report_buffer(), with its Report[buf] / Report[get] / Report[err] dumps. */
  #refresh(reportId: number, age: number): HidIoError | undefined {
    if (this.interruptOnly || (this.#stamp[reportId] ?? 0) + age > this.#now()) {
      this.#hex("Report[buf]", this.buffer(reportId));
      return undefined;
    }
    const expected = reportBufferLength(this.#desc, reportId);
    const got = this.#io.getFeatureReport(reportId, this.maxReportSize ? MAX_REPORT_BUFFER : expected);
    if (isHidIoError(got)) return got;
    if (got.length === 0) return { code: "IO", message: "empty report" };
    const buf = this.buffer(reportId);
    buf.set(got.subarray(0, buf.length));
    if (got.length !== expected) {
      this.#debug(2, `refresh_report_buffer: expected ${expected} bytes, but got ${got.length} instead`);
      this.#hex("Report[err]", got);
    } else {
      this.#hex("Report[get]", buf);
    }
    this.#stamp[reportId] = this.#now();
    return undefined;
  }

  /** HIDGetDataValue(): the physical, unit-scaled value of `item`, refreshing its report if older than `age`. */
  read(item: HidData, age: number): HidReadResult {
    const error = this.#refresh(item.reportId, age);
    if (error !== undefined) {
      this.#debug(1, `Can't retrieve Report ${item.reportId.toString(16).padStart(2, "0")}: ${error.message}`);
      return { ok: false, error };
    }
    return { ok: true, value: decodeItemValue(this.buffer(item.reportId), item) };
  }

  /** HIDSetDataValue(): patch the buffer, SET_REPORT it, expire every buffer. Constant objects: false. */
  write(item: HidData, value: number): true | false | HidIoError {
    const buf = this.buffer(item.reportId);
    if (!encodeItemValue(buf, item, value)) return false;
    const sent = this.#io.setFeatureReport(item.reportId, buf);
    if (isHidIoError(sent)) {
      this.#debug(1, `Can't set Report ${item.reportId.toString(16).padStart(2, "0")}: ${sent.message}`);
      return sent;
    }
    this.#hex("Report[set]", buf);
    this.#stamp.fill(0);
    this.#debug(4, "Set report succeeded");
    return true;
  }

  /**
   * HIDGetEvents(): one interrupt read; the report is filed (only the bytes received: the 2.8.3
   * behaviour) and its Input objects returned. An error or timeout comes back as HidIoError.
   */
  readEvents(): HidData[] | HidIoError {
    const got = this.#io.interruptRead(this.interruptSize > 0 ? this.interruptSize : INTERRUPT_BUFFER, INTERRUPT_TIMEOUT_MS);
    if (isHidIoError(got)) return got;
    if (got.length === 0) return [];
    const id = got[0] ?? 0;
    const buf = this.buffer(id);
    buf.set(got.subarray(0, Math.min(got.length, buf.length)));
    if (got.length !== buf.length) {
      this.#debug(2, `file_report_buffer: expected ${buf.length} bytes, but got ${got.length} instead`);
      this.#hex("Report[err]", got);
    } else {
      this.#hex("Report[int]", buf);
    }
    this.#stamp[id] = this.#now();
    const events: HidData[] = [];
    for (const item of this.#desc.items) {
      if (item.reportId !== id || item.type !== HID_ITEM_INPUT) continue;
      if (events.length >= MAX_EVENTS) {
        this.#debug(1, "HIDGetEvents: too many events (truncated)");
        break;
      }
      events.push(item);
    }
    if (events.length === 0) this.#debug(1, "HIDGetEvents: unexpected input report (ignored)");
    return events;
  }
}
