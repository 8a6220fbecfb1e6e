// Loaded into the jsii kernel (node --require) by lean_bindings.py.
// @cdktf/provider-aws's lib/index.js requires all of its ~1,500 resource modules up front; rewrite
// each `exports.x = require("./x");` into a getter so only the modules the app touches are loaded.
"use strict";
const Module = require("module");
const path = require("path");

const INDEX = path.join("@cdktf", "provider-aws", "lib", "index.js");
const EAGER_EXPORT = /exports\.(\w+) = require\(("[^"]+")\);/g;
const compile = Module.prototype._compile;

Module.prototype._compile = function compileLazily(content, filename) {
  if (filename.endsWith(INDEX)) {
    content = content.replace(
      EAGER_EXPORT,
      'Object.defineProperty(exports, "$1", { enumerable: true, configurable: true, get: () => require($2) });'
    );
  }
  return compile.call(this, content, filename);
};
