/**
 * How every hookline script and test starts the installed Chromium (Debian's `chromium`, .ci/chromium.sh; never a
 * downloaded one): the binary (CHROMIUM_PATH overrides /usr/bin/chromium) and the flags that keep it off the
 * network it would otherwise call at start (background networking, component updates, sync, QUIC).
 */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
