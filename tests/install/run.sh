#!/bin/sh
# make install into a temporary DESTDIR with its own prefix, checks the files and their modes,
# runs the installed binary on the installed fixtures (free ports, loopback), renders the
# installed page, then make uninstall must leave no file behind.
# Run by `make install-test` (MAKE, BUILD and VERSION come from the Makefile).
set -eu
MAKE=${MAKE:-make} BUILD=${BUILD:-release}
root=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT
fail() { echo "install-test: $*" >&2; exit 1; }

prefix=/opt/edgekv
stage=$root/stage
$MAKE --no-print-directory -s install BUILD="$BUILD" DESTDIR="$stage" prefix="$prefix"

bin=$stage$prefix/bin/edgekv-emulator
share=$stage$prefix/share/edgekv-emulator
doc=$stage$prefix/share/doc/edgekv-emulator
page=$stage$prefix/share/man/man1/edgekv-emulator.1
for f in "$bin:755" "$page:644" "$share/edgerc:644" "$share/fixtures/default/world.json:644" \
	"$doc/README.md:644" "$doc/docs/control-api.md:644" "$doc/examples/edgerc:644" \
	"$doc/examples/docker-compose.yml:644"; do
	path=${f%:*} mode=${f##*:}
	[ -f "$path" ] || fail "missing ${path#"$stage"}"
	[ "$(stat -c %a "$path")" = "$mode" ] || fail "${path#"$stage"} has mode $(stat -c %a "$path"), not $mode"
done
[ "$(find "$stage" -type f | wc -l)" -eq $((7 + $(ls docs/*.md | wc -l))) ] ||
	fail "unexpected files: $(find "$stage" -type f)"

# The page names the folders it was installed into.
LC_ALL=C MANWIDTH=100 man -l "$page" 2>/dev/null | grep -q "$prefix/share/edgekv-emulator/edgerc" ||
	fail "the installed page does not name $prefix/share/edgekv-emulator/edgerc"
[ "$("$bin" --version | head -n 1)" = "edgekv-emulator $VERSION" ] || fail "--version: $("$bin" --version)"

# The installed binary serves the installed fixtures; its own --probe checks its health.
"$bin" --db "$root/data/edgekv.db" --http-port 0 --https-port 0 --seed "$share/fixtures/default" \
	--no-access-log >"$root/out" 2>"$root/err" &
pid=$!
i=0
until grep -qx ready "$root/out"; do
	i=$((i + 1))
	[ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null || fail "no ready line: $(cat "$root/out" "$root/err")"
	sleep 0.1
done
port=$(sed -n 's|^listening http://127.0.0.1:\([0-9]*\)$|\1|p' "$root/out")
"$bin" --probe --http-port "$port" || fail "--probe on port $port failed"
[ -f "$root/data/cert.pem" ] || fail "no certificate next to the database"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" = 0 ] || fail "exit status $status after SIGTERM: $(cat "$root/err")"

$MAKE --no-print-directory -s uninstall BUILD="$BUILD" DESTDIR="$stage" prefix="$prefix"
left=$(find "$stage" -type f)
[ -z "$left" ] || fail "left after make uninstall: $left"
[ ! -d "$share" ] && [ ! -d "$doc" ] || fail "package folders left after make uninstall"
echo "install-test: installed under DESTDIR with prefix $prefix, ran, probed, stopped, uninstalled"
