// NUT's cmdvartab, embedded in the binary with `import text from "./cmdvartab" with { type: "text" }`.
declare module "*/cmdvartab" {
  const text: string;
  export default text;
}
