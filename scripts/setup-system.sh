#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (idempotent; run by `npm test` first).
# The tests run Debian's NUT 2.8.0 beside ours as the oracle, so these are not optional.
set -euo pipefail

PACKAGES=(
  nut-server    # Debian's upsd, drivers, upsdrvctl (oracle) and the ups.conf/upsd.* samples
  nut-client    # Debian's upsc, upscmd, upsrw, upslog, upsmon (oracle) and their samples
  nut-cgi       # the hosts.conf sample
  python3-nut   # PyNUT, a third client implementation for interop tests
  time          # GNU time: per-process peak RSS for npm run bench
  libnss3-tools # certutil: the NSS certificate DB with which Debian's upsmon verifies our upsd's TLS certificate
  libusb-1.0-0  # libusb-1.0, which our USB drivers load through bun:ffi
  umockdev      # LD_PRELOAD testbed in which test/sim/hidups_sim.py simulates USB HID UPSes
  gir1.2-umockdev-1.0 # umockdev's GObject introspection data, for the simulator's usbdevfs ioctl handler
  python3-gi    # GObject introspection for the system python that runs the simulator
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
