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
