/**
 * The `ERR <TOKEN>` replies of the network protocol (server/neterr.h plus the tracking results of
 * server/netget.c) and libupsclient's error numbers and texts (clients/upsclient.h and
 * upscli_errlist / upsd_errlist in clients/upsclient.c), which every NUT client prints as
 * `Error: <text>`. Shared by the server (which sends the tokens) and the client (which maps them
 * back to texts). Pure: no I/O.
 */

/** Every token upsd may put after `ERR ` (net-protocol.md §7), legacy ones included. */
export const NET_ERROR_TOKENS = [
  "ACCESS-DENIED",
  "UNKNOWN-UPS",
  "VAR-NOT-SUPPORTED",
  "CMD-NOT-SUPPORTED",
  "INVALID-ARGUMENT",
  "INSTCMD-FAILED",
  "SET-FAILED",
  "READONLY",
  "TOO-LONG",
  "INVALID-VALUE",
  "FEATURE-NOT-SUPPORTED",
  "FEATURE-NOT-CONFIGURED",
  "ALREADY-SSL-MODE",
  "DRIVER-NOT-CONNECTED",
  "DATA-STALE",
  "ALREADY-LOGGED-IN",
  "ALREADY-SET-USERNAME",
  "ALREADY-SET-PASSWORD",
  "USERNAME-REQUIRED",
  "PASSWORD-REQUIRED",
  "UNKNOWN-COMMAND",
  "INVALID-PASSWORD",
  "INVALID-USERNAME",
  "VAR-UNKNOWN",
  "UNKNOWN-TYPE",
  "UNKNOWN-INSTCMD",
  "MISSING-ARGUMENT",
  // never sent by any upsd, but libupsclient still maps them (upsd_errlist)
  "PASSWORD-INCORRECT",
  "UNKNOWN-VAR",
  // only as `GET TRACKING <id>` results (netget.c get_tracking)
  "UNKNOWN",
  "FAILED",
] as const;

/** One `ERR` token of the protocol. */
export type NetErrorToken = (typeof NET_ERROR_TOKENS)[number];

/** libupsclient's error names (UPSCLI_ERR_* without the prefix), indexed by their number. */
export const UPSCLI_ERROR_CODES = [
  "UNKNOWN",
  "VARNOTSUPP",
  "NOSUCHHOST",
  "INVRESP",
  "UNKNOWNUPS",
  "INVLISTTYPE",
  "ACCESSDENIED",
  "PWDREQUIRED",
  "PWDINCORRECT",
  "MISSINGARG",
  "DATASTALE",
  "VARUNKNOWN",
  "LOGINTWICE",
  "PWDSETTWICE",
  "UNKNOWNTYPE",
  "UNKNOWNVAR",
  "VARREADONLY",
  "TOOLONG",
  "INVALIDVALUE",
  "SETFAILED",
  "UNKINSTCMD",
  "CMDFAILED",
  "CMDNOTSUPP",
  "INVUSERNAME",
  "USERSETTWICE",
  "UNKCOMMAND",
  "INVALIDARG",
  "SENDFAILURE",
  "RECVFAILURE",
  "SOCKFAILURE",
  "BINDFAILURE",
  "CONNFAILURE",
  "WRITE",
  "READ",
  "INVPASSWORD",
  "USERREQUIRED",
  "SSLFAIL",
  "SSLERR",
  "SRVDISC",
  "DRVNOTCONN",
  "NOMEM",
  "PARSE",
  "PROTOCOL",
] as const;

/** A libupsclient error name (UPSCLI_ERR_<name>). */
export type UpscliErrorCode = (typeof UPSCLI_ERROR_CODES)[number];

/**
 * upscli_errlist's texts. A `%s` is filled with strerror() (flag 1), the TLS library's message
 * (flag 2) or parseconf's message (flag 3).
 */
const UPSCLI_TEXTS: Readonly<Record<UpscliErrorCode, string>> = {
  UNKNOWN: "Unknown error",
  VARNOTSUPP: "Variable not supported by UPS",
  NOSUCHHOST: "No such host",
  INVRESP: "Invalid response from server",
  UNKNOWNUPS: "Unknown UPS",
  INVLISTTYPE: "Invalid list type",
  ACCESSDENIED: "Access denied",
  PWDREQUIRED: "Password required",
  PWDINCORRECT: "Password incorrect",
  MISSINGARG: "Missing argument",
  DATASTALE: "Data stale",
  VARUNKNOWN: "Variable unknown",
  LOGINTWICE: "Already logged in",
  PWDSETTWICE: "Already set password",
  UNKNOWNTYPE: "Unknown variable type",
  UNKNOWNVAR: "Unknown variable",
  VARREADONLY: "Read-only variable",
  TOOLONG: "New value is too long",
  INVALIDVALUE: "Invalid value for variable",
  SETFAILED: "Set command failed",
  UNKINSTCMD: "Unknown instant command",
  CMDFAILED: "Instant command failed",
  CMDNOTSUPP: "Instant command not supported",
  INVUSERNAME: "Invalid username",
  USERSETTWICE: "Already set username",
  UNKCOMMAND: "Unknown command",
  INVALIDARG: "Invalid argument",
  SENDFAILURE: "Send failure: %s",
  RECVFAILURE: "Receive failure: %s",
  SOCKFAILURE: "socket failure: %s",
  BINDFAILURE: "bind failure: %s",
  CONNFAILURE: "Connection failure: %s",
  WRITE: "Write error: %s",
  READ: "Read error: %s",
  INVPASSWORD: "Invalid password",
  USERREQUIRED: "Username required",
  SSLFAIL: "SSL is not available",
  SSLERR: "SSL error: %s",
  SRVDISC: "Server disconnected",
  DRVNOTCONN: "Driver not connected",
  NOMEM: "Memory allocation failure",
  PARSE: "Parse error: %s",
  PROTOCOL: "Protocol error",
};

/**
 * upsd_errlist: which server token maps to which libupsclient error. Matched as a *prefix* of the
 * text after `ERR ` (strncmp), in this order; anything else (INVALID-ARGUMENT, FEATURE-*, …) is
 * UNKNOWN, i.e. `Unknown error`.
 */
const UPSD_ERRLIST: ReadonlyArray<readonly [string, UpscliErrorCode]> = [
  ["VAR-NOT-SUPPORTED", "VARNOTSUPP"],
  ["UNKNOWN-UPS", "UNKNOWNUPS"],
  ["ACCESS-DENIED", "ACCESSDENIED"],
  ["PASSWORD-REQUIRED", "PWDREQUIRED"],
  ["PASSWORD-INCORRECT", "PWDINCORRECT"],
  ["MISSING-ARGUMENT", "MISSINGARG"],
  ["DATA-STALE", "DATASTALE"],
  ["VAR-UNKNOWN", "VARUNKNOWN"],
  ["ALREADY-LOGGED-IN", "LOGINTWICE"],
  ["ALREADY-SET-PASSWORD", "PWDSETTWICE"],
  ["UNKNOWN-TYPE", "UNKNOWNTYPE"],
  ["UNKNOWN-VAR", "UNKNOWNVAR"],
  ["READONLY", "VARREADONLY"],
  ["TOO-LONG", "TOOLONG"],
  ["INVALID-VALUE", "INVALIDVALUE"],
  ["SET-FAILED", "SETFAILED"],
  ["UNKNOWN-INSTCMD", "UNKINSTCMD"],
  ["INSTCMD-FAILED", "CMDFAILED"],
  ["CMD-NOT-SUPPORTED", "CMDNOTSUPP"],
  ["INVALID-USERNAME", "INVUSERNAME"],
  ["ALREADY-SET-USERNAME", "USERSETTWICE"],
  ["UNKNOWN-COMMAND", "UNKCOMMAND"],
  ["INVALID-PASSWORD", "INVPASSWORD"],
  ["USERNAME-REQUIRED", "USERREQUIRED"],
  ["DRIVER-NOT-CONNECTED", "DRVNOTCONN"],
];

/** upscli_strerror(): the text libupsclient prints for `code`, with `detail` in place of `%s`. */
export function upscliErrorText(code: UpscliErrorCode, detail = ""): string {
  return UPSCLI_TEXTS[code].replace("%s", detail);
}

/** libupsclient's mapping of the text after `ERR ` (upscli_errcheck: prefix match, else UNKNOWN). */
export function upscliCodeForServerError(afterErr: string): UpscliErrorCode {
  for (const [text, code] of UPSD_ERRLIST) if (afterErr.startsWith(text)) return code;
  return "UNKNOWN";
}

/** Whether `token` is one of the protocol's ERR tokens. */
export function isNetErrorToken(token: string): token is NetErrorToken {
  return (NET_ERROR_TOKENS as readonly string[]).includes(token);
}

/** Any failure as libupsclient reports it: a code and upscli_strerror()'s text as the message. */
export class UpscliError extends Error {
  /** libupsclient's error name. */
  readonly code: UpscliErrorCode;
  /**
   * The raw reply line that caused the error, when there was one. (Not `line`: JavaScriptCore
   * gives every Error an own `line` property, the source line number.)
   */
  declare readonly reply?: string;
  /** Set when the error is a read or connect timeout (NUT reports those as other errors). */
  declare readonly timedOut?: boolean;

  constructor(
    code: UpscliErrorCode,
    options: { detail?: string; reply?: string; timedOut?: boolean; cause?: unknown } = {},
  ) {
    super(upscliErrorText(code, options.detail), options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "UpscliError";
    this.code = code;
    // assigned only when known, so that absent ones stay absent (no `line: undefined`)
    if (options.reply !== undefined) this.reply = options.reply;
    if (options.timedOut !== undefined) this.timedOut = options.timedOut;
  }
}

/**
 * An `ERR <token>` reply. `message` is libupsclient's text for it (`Unknown UPS`, `Data stale`,
 * `Unknown error` for tokens libupsclient does not map), the text upsc prints after `Error: `.
 * The server builds one from a token and sends `reply`.
 */
export class NutProtocolError extends UpscliError {
  /** The word after `ERR` as received (a NetErrorToken from any NUT upsd). */
  readonly token: NetErrorToken | (string & {});
  /** The whole reply line, e.g. `ERR UNKNOWN-UPS` (what the server sends). */
  declare readonly reply: string;

  constructor(token: NetErrorToken | (string & {}), reply = `ERR ${token}`) {
    super(upscliCodeForServerError(reply.slice(4)), { reply });
    this.name = "NutProtocolError";
    this.token = token;
  }
}

/**
 * upscli_errcheck(): a reply line starting with `ERR` becomes a NutProtocolError (token = the
 * first word after `ERR `); any other line is not an error (undefined).
 */
export function parseErrLine(line: string): NutProtocolError | undefined {
  if (!line.startsWith("ERR")) return undefined;
  const token = line.slice(4).split(" ", 1)[0] ?? "";
  return new NutProtocolError(token, line);
}
