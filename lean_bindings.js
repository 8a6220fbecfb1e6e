// Loaded into the jsii kernel (node --require) by lean_bindings.py.
// 1. @cdktf/provider-aws's lib/index.js requires all of its ~1,500 resource modules up front; rewrite
//    each `exports.x = require("./x");` into a getter so only the modules the app touches are loaded.
// 2. cdktf captures an unlimited stack trace for every token it creates, kept only to decorate error
//    messages; with thousands of resources that was ~7% of synthesis. Tokens get an empty trace.
"use strict";
const Module = require("module");
const path = require("path");

const INDEX = path.join("@cdktf", "provider-aws", "lib", "index.js");
const STACK_TRACE = path.join("cdktf", "lib", "tokens", "private", "stack-trace.js");
const EAGER_EXPORT = /exports\.(\w+) = require\(("[^"]+")\);/g;
const compile = Module.prototype._compile;

Module.prototype._compile = function compileLazily(content, filename) {
  if (filename.endsWith(INDEX)) {
    content = content.replace(
      EAGER_EXPORT,
      'Object.defineProperty(exports, "$1", { enumerable: true, configurable: true, get: () => require($2) });'
    );
  }
  if (filename.endsWith(STACK_TRACE)) {
    content = '"use strict"; exports.captureStackTrace = function captureStackTrace() { return []; };';
  }
  return compile.call(this, content, filename);
};
