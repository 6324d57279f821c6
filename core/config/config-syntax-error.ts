/** A config file that cannot be used at all, with the place that makes it so. */
export class ConfigSyntaxError extends SyntaxError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
    this.name = "ConfigSyntaxError";
    this.file = file;
    this.line = line;
  }
}
