/**
 * A failure that ends upscmd or upsrw the way NUT's fatalx() does: one message on stderr, exit
 * status 1. Thrown by the client modules, caught by the program fronts, so that the modules
 * neither write to stderr nor end the process themselves.
 */
export class ClientFatalError extends Error {
  /** Lines a library function printed on stderr before the fatal message (with their newlines). */
  readonly preface: string;

  constructor(message: string, options: { cause?: unknown; preface?: string } = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "ClientFatalError";
    this.preface = options.preface ?? "";
  }

  /** Everything that goes to stderr. */
  get stderrText(): string {
    return `${this.preface}${this.message}\n`;
  }

  /** The message without NUT's `Error: ` prefix: what a `-j` run puts in `{"error": …}`. */
  get detail(): string {
    return this.message.startsWith("Error: ") ? this.message.slice("Error: ".length) : this.message;
  }
}
