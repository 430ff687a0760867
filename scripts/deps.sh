#!/bin/sh
# Install what building and testing hazcheck needs, where it is missing.
# Debian packages only; run as root (CI is root), or it says what to install.
set -e
pkgs="gcc make pkg-config liblua5.4-dev lua5.4 libyaml-dev libsqlite3-dev libcmocka-dev
      libutf8proc-dev nettle-dev python3 valgrind sqlite3
      chromium fonts-noto-cjk poppler-utils tidy
      clang libclang-rt-14-dev cppcheck clang-tidy python3-yaml python3-jsonschema
      scdoc bash-completion gettext libedit-dev libsodium-dev libmicrohttpd-dev tzdata
      chromium-driver python3-selenium wrk libpq-dev postgresql"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "hazcheck needs these Debian packages:$missing" >&2
    echo "install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
