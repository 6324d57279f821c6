// `npm start` (after the build): runs the toolkit on a built-in simulated UPS. Until the
// drivers and upsd land, it shows what the binary offers.
import { join } from "node:path";

const nut = join(import.meta.dir, "..", "dist", "nut");
const proc = Bun.spawnSync([nut, "--help"], { stdout: "inherit", stderr: "inherit" });
process.exitCode = proc.exitCode ?? 1;
