#!/bin/sh
# Installs the Debian 12 packages Cairn needs to build and test (and, with
# --bench, to run the benchmarks). Runs apt-get directly as root, through
# sudo otherwise, and skips apt-get entirely when everything is present.
set -eu

packages="cmake make gcc pkg-config git sqlite3 libsqlite3-dev libjansson-dev libicu-dev
  libssl-dev libcmocka-dev gettext tzdata locales libzip-dev libexpat1-dev
  libfreexl-dev libxlsxwriter-dev libcurl4-openssl-dev libgsl-dev libmicrohttpd-dev
  libpq-dev python3-aiosmtpd libxgboost-dev clang libclang-rt-14-dev"
# For the browser tests (tests/browser): Debian's chromium and CJK fonts.
packages="$packages chromium fonts-noto-cjk"
if [ "${1:-}" = "--bench" ]; then
    packages="$packages hyperfine wrk python3-pandas python3-sklearn python3-openpyxl time"
fi

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "install-deps: these packages are missing and neither root nor sudo is available:$missing" >&2
        exit 1
    fi
    echo "install-deps: installing$missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# gettext needs a UTF-8 locale; C.UTF-8 is built into glibc, the others are
# generated for users who run cairn under a Chinese or English locale.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN.utf8$'; then
    if [ "$(id -u)" -eq 0 ] && [ -f /etc/locale.gen ]; then
        sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/; s/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
        locale-gen >/dev/null 2>&1 || true
    fi
fi

# ECharts (embedded into the binary) and playwright-core (browser tests)
# come from the npm registry, pinned by package-lock.json. Node.js and npm
# are installed apart from Debian's packages; playwright-core needs Node 20.
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$top/node_modules/echarts" ] || [ ! -d "$top/node_modules/playwright-core" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "install-deps: npm is missing: install Node.js 20 or later with npm (not Debian's npm package)" >&2
        exit 1
    fi
    node_major=$(node --version | sed 's/^v\([0-9]*\).*/\1/')
    if [ "$node_major" -lt 20 ]; then
        echo "install-deps: Node.js $(node --version) is too old: playwright-core needs Node.js 20 or later" >&2
        exit 1
    fi
    (cd "$top" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
