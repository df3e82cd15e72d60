#!/usr/bin/env bash
# Install what formproc needs on Debian 12 and build it in build/.
#
# usage: scripts/setup.sh
#
# Idempotent: the apt step is skipped when every package is already installed
# (checked with dpkg-query), so a second run is quick and works offline; the
# build is incremental. Run it as root, or as a user who may use sudo (sudo is
# then used for apt-get only). FORMPROC_SKIP_APT=1 skips the package step
# entirely (for a machine whose libraries come from elsewhere).
# FORMPROC_CMAKE_ARGS adds configure options (see the build step below).
# FORMPROC_WITH_LIBREOFFICE=1 also installs LibreOffice headless (Writer,
# ~80 MB download, ~250 MB installed): formproc does not need it (.doc and RTF
# are read natively); scripts/word-legacy-corpus.sh and
# tests/data/word-legacy/make-fixtures.sh use it to convert DOCX cards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(
  build-essential cmake ninja-build pkg-config clang-format-14
  libpoco-dev libpq-dev postgresql libpodofo-dev libpoppler-cpp-dev poppler-utils
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-osd tesseract-ocr-pol tesseract-ocr-eng
  libboost-dev libboost-filesystem-dev catch2 libfreetype-dev
  libxml2-dev libxml2-utils libxslt1-dev libxmlsec1-dev xmlsec1
  libcurl4-openssl-dev libgmime-3.0-dev dovecot-imapd dovecot-pop3d libhunspell-dev hunspell-pl
  python3 python3-pypdf python3-pil python3-reportlab python3-lxml fonts-dejavu-core fonts-dejavu-extra icc-profiles-free git ca-certificates
  antiword catdoc
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  chromium chromium-driver
)
# chromium, chromium-driver: the review desk's tests run in a real headless
# browser (tests/http/desk_browser_test.cpp); nodejs, npm: axe-core for their
# accessibility check (tests/browser/package.json).
# antiword, catdoc: the baselines of bench/bench_word_legacy.sh (1.3 MB installed together).
# clang-14, libfuzzer-14-dev, libclang-rt-14-dev: the fuzz targets (scripts/fuzz.sh, -DFORMPROC_FUZZ=ON).
# Node.js and npm (axe-core for the desk's accessibility test) from Debian,
# unless the machine already has an npm (e.g. NodeSource's nodejs, which
# bundles npm and conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [ "${FORMPROC_WITH_LIBREOFFICE:-0}" = 1 ]; then
  packages+=(libreoffice-writer-nogui)
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup.sh: installing packages needs root: run as root or install sudo" >&2
    exit 1
  fi
}

start=$(date +%s)
if [ "${FORMPROC_SKIP_APT:-0}" != 1 ]; then
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: this script expects Debian 12 (dpkg and apt-get)" >&2
    exit 1
  fi
  missing=()
  for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup.sh: all ${#packages[@]} Debian packages already installed"
  else
    echo "setup.sh: installing ${#missing[@]} missing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi
echo "setup.sh: packages: $(( $(date +%s) - start ))s"

start=$(date +%s)
# axe-core (pinned in tests/browser/package-lock.json) for the desk's
# accessibility test; skipped when already there, so a second run works offline.
# Only that test needs it: when the npm registry cannot be reached, the build
# and the demo go on, and that one test fails saying what is missing.
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  if ! (cd tests/browser && npm ci --no-audit --no-fund); then
    echo "setup.sh: WARNING: npm could not install axe-core (tests/browser); the desk's accessibility" \
      "test will fail until 'cd tests/browser && npm ci' succeeds. Everything else is set up." >&2
  fi
fi
echo "setup.sh: npm packages: $(( $(date +%s) - start ))s"

start=$(date +%s)
# FORMPROC_WERROR=ON (scripts/test.sh, CI): every warning fails the build.
# FORMPROC_CMAKE_ARGS: more configure options (the container image builds
# without tests and benchmarks: "-DFORMPROC_TESTS=OFF -DFORMPROC_BENCH=OFF").
# shellcheck disable=SC2086
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFORMPROC_WERROR="${FORMPROC_WERROR:-OFF}" ${FORMPROC_CMAKE_ARGS:-}
cmake --build build
echo "setup.sh: configure and build: $(( $(date +%s) - start ))s"
