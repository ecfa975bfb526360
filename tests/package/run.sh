#!/bin/sh
# Checks the .deb that `make package` built: its name and version, its library dependencies,
# its files, lintian (every remaining tag is overridden with its reason in debian/), and the
# binary of the unpacked package, run on free loopback ports. Usage: run.sh PACKAGE.deb
set -eu
deb=$1
root=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT
fail() { echo "package-test: $*" >&2; exit 1; }

[ -f "$deb" ] || fail "no $deb"
[ "$(dpkg-parsechangelog -S Version)" = "$VERSION" ] ||
	fail "debian/changelog says $(dpkg-parsechangelog -S Version), the Makefile $VERSION"
[ "$(dpkg-deb -f "$deb" Version)" = "$VERSION" ] || fail "package version $(dpkg-deb -f "$deb" Version)"
# ${shlibs:Depends}: each library the binary links, with the version it was built against.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libcjson1 libgnutls30 libmicrohttpd12 libsqlite3-0 libuuid1; do
	echo "$depends" | grep -qE "(^|, )$lib( |,|\$)" || fail "Depends lacks $lib: $depends"
done

dpkg-deb -x "$deb" "$root/pkg"
for f in usr/bin/edgekv-emulator usr/share/man/man1/edgekv-emulator.1.gz \
	usr/share/edgekv-emulator/edgerc usr/share/edgekv-emulator/fixtures/default/world.json \
	usr/share/doc/edgekv-emulator/copyright usr/share/doc/edgekv-emulator/changelog.gz \
	lib/systemd/system/edgekv-emulator.service etc/default/edgekv-emulator; do
	[ -f "$root/pkg/$f" ] || fail "the package has no /$f"
done
grep -qx 'DynamicUser=yes' "$root/pkg/lib/systemd/system/edgekv-emulator.service" || fail "unit without DynamicUser"
grep -qx 'StateDirectoryMode=0700' "$root/pkg/lib/systemd/system/edgekv-emulator.service" || fail "unit data not 0700"

# Any tag fails, down to pedantic ones, unless debian/*.lintian-overrides gives its reason.
lintian -I --pedantic --fail-on error,warning,info,pedantic "$deb" >"$root/lintian" 2>&1 ||
	{ cat "$root/lintian" >&2; fail "lintian"; }

bin=$root/pkg/usr/bin/edgekv-emulator
[ "$("$bin" --version | head -n 1)" = "edgekv-emulator $VERSION" ] || fail "--version: $("$bin" --version)"
zcat "$root/pkg/usr/share/man/man1/edgekv-emulator.1.gz" >"$root/edgekv-emulator.1"
tests/man/check.sh "$bin" "$root/edgekv-emulator.1" >/dev/null
"$bin" --db "$root/data/edgekv.db" --http-port 0 --https-port 0 --no-access-log \
	--seed "$root/pkg/usr/share/edgekv-emulator/fixtures/default" >"$root/out" 2>"$root/err" &
pid=$!
i=0
until grep -qx ready "$root/out"; do
	i=$((i + 1))
	[ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null || fail "no ready line: $(cat "$root/out" "$root/err")"
	sleep 0.1
done
port=$(sed -n 's|^listening http://127.0.0.1:\([0-9]*\)$|\1|p' "$root/out")
"$bin" --probe --http-port "$port" || fail "--probe on port $port failed"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" = 0 ] || fail "exit status $status after SIGTERM: $(cat "$root/err")"
echo "package-test: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB): Depends $depends; lintian clean; unpacked binary ran and stopped"
