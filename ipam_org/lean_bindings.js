// Loaded into the jsii kernel (node --require) by lean_bindings.py.
// 1. @cdktf/provider-aws's lib/index.js requires all of its 2,135 resource modules up front; rewrite
//    each `exports.x = require("./x");` into a getter so only the modules the app touches are loaded.
// 2. cdktf captures an unlimited stack trace for every token it creates, kept only to decorate error
//    messages; with thousands of resources that was ~7% of synthesis. Tokens get an empty trace.
// Each rewrite first checks the file still has the shape it was written for; a file that changed is
// left alone with one warning on stderr (slower, never wrong). IPAM_ORG_LEAN_STATS names a file that
// gets what was done, written when the kernel exits (the tests read it).
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");

const INDEX = path.join("@cdktf", "provider-aws", "lib", "index.js");
const PROVIDER_LIB = path.join("@cdktf", "provider-aws", "lib") + path.sep;
const STACK_TRACE = path.join("cdktf", "lib", "tokens", "private", "stack-trace.js");
const EAGER_EXPORT = /exports\.(\w+) = require\(("[^"]+")\);/g;
const EXPORTS = /exports\.(\w+)\s*=/g;
const compile = Module.prototype._compile;
const stats = { lazy_exports: 0, stack_trace_replaced: false };
let seen = false; // jsii's runtime is a wrapper process around the kernel; only the kernel sees these files

function warn(what) {
  process.stderr.write(`warning: lean bindings: ${what}; using the standard path for it (slower, same output)\n`);
}

Module.prototype._compile = function compileLazily(content, filename) {
  if (filename.endsWith(INDEX)) {
    seen = true;
    const lazy = content.replace(
      EAGER_EXPORT,
      'Object.defineProperty(exports, "$1", { enumerable: true, configurable: true, get: () => require($2) });'
    );
    stats.lazy_exports = (content.match(EAGER_EXPORT) || []).length;
    if (stats.lazy_exports === 0) warn(`${INDEX} has no \`exports.x = require("./x");\` lines any more`);
    else content = lazy;
  }
  if (filename.endsWith(STACK_TRACE)) {
    seen = true;
    const exported = new Set([...content.matchAll(EXPORTS)].map((m) => m[1]));
    if (exported.size === 1 && exported.has("captureStackTrace")) {
      content = '"use strict"; exports.captureStackTrace = function captureStackTrace() { return []; };';
      stats.stack_trace_replaced = true;
    } else {
      warn(`${STACK_TRACE} exports ${[...exported].join(", ") || "nothing"}, not only captureStackTrace`);
    }
  }
  return compile.call(this, content, filename);
};

if (process.env.IPAM_ORG_LEAN_STATS) {
  process.on("exit", () => {
    if (!seen) return;
    stats.provider_modules_loaded = Object.keys(require.cache).filter((f) => f.includes(PROVIDER_LIB)).length;
    fs.writeFileSync(process.env.IPAM_ORG_LEAN_STATS, JSON.stringify(stats));
  });
}
