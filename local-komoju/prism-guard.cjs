// Preloaded into Prism (`node --require`) by prism.mjs. Node cannot ask the kernel to
// kill a child when its parent dies, so Prism watches for it itself: the parent holds
// the other end of Prism's stdin pipe, and the kernel closes that end however the
// parent ends, SIGKILL included. A re-parenting check backs it up in case stdin is
// ever not that pipe.
"use strict";
if (process.env.KOMOJU_PRISM_GUARD === "1") {
  const parent = process.ppid;
  const leave = () => process.exit(0);
  process.stdin.on("end", leave);
  process.stdin.on("close", leave);
  process.stdin.on("error", leave);
  process.stdin.resume();
  setInterval(() => {
    if (process.ppid !== parent) leave();
  }, 500).unref();
}

// Prism announces its address at its own "start" log level, which no --verboseLevel
// above info keeps. A caller that silences Prism's per-request log (warn) still needs
// the address of the port the kernel picked, so the guard prints Prism's line itself.
if (process.env.KOMOJU_PRISM_ANNOUNCE === "1") {
  const net = require("node:net");
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    net.Server.prototype.listen = listen;
    this.once("listening", () => {
      const { address, port } = this.address();
      process.stdout.write(`Prism is listening on http://${address}:${port}\n`);
    });
    return listen.apply(this, args);
  };
}
