// Text files embedded in the binary with `import x from "./f.seq" with { type: "text" }`.
declare module "*.seq" {
  const text: string;
  export default text;
}
