# deps.sh - install the Debian packages warta needs, if any is missing. Sourced by demo and test.
# (curl: the demo asks the gateway with it, as a platform would.)
# Works on a bare Debian 12 as root, or as a user with sudo.

warta_packages="gcc libc6-dev pkgconf meson ninja-build python3 libsodium-dev libjansson-dev
    libzmq3-dev liblmdb-dev libinih-dev libsystemd-dev libmicrohttpd-dev libxml2-dev gettext
    curl"
warta_test_packages="libcmocka-dev python3-nacl python3-jsonschema libxml2-utils gnuplot-nox chromium
    fonts-dejavu-core"

warta_install_deps() {
    local want="$warta_packages $*" missing=""
    for p in $want; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "warta: installing Debian packages:$missing" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "warta: need root or sudo to install:$missing" >&2; return 1; }
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# warta_web_deps [--omit=dev]: Node.js and npm (Debian's, when there is none), then the npm
# packages of web/ exactly as web/package-lock.json pins them (npm ci), unless they are there
# already. --omit=dev: only what the pages vendor (libsodium-wrappers), not the browser driver.
warta_web_deps() {
    local omit=${1:-} stamp=web/node_modules/.warta-stamp lock want have
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        warta_packages="" warta_install_deps nodejs npm || return 1
    fi
    lock=$(sha256sum web/package-lock.json | cut -c1-64)
    want="${omit:-all} $lock"
    have=$(cat "$stamp" 2>/dev/null)
    [ "$have" = "$want" ] || [ "$have" = "all $lock" ] && return 0
    echo "warta: installing the npm packages of web/ (npm ci${omit:+ $omit})" >&2
    (cd web && npm ci --no-audit --no-fund --loglevel=error $omit >/dev/null) && echo "$want" > "$stamp"
}

# warta_build DIR [MESON OPTIONS...]: configure (once; later, the options are set again) and
# build the tree into DIR.
warta_build() {
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log" >&2; return 1; }
    elif [ $# -gt 0 ]; then
        meson configure "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log" >&2; return 1; }
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { cat "$dir.build.log" >&2; return 1; }
}
