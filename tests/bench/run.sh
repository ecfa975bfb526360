#!/usr/bin/env bash
# make bench: the emulator's item throughput, latency, memory and start time as ratios to
# limits measured in the same run (docs/performance.md: method, targets, recorded runs).
#
#   tests/bench/run.sh build/release/edgekv-emulator
#
# Reference programs, built next to the binary (build/*/bench/):
#   http-limit    a bare libmicrohttpd server with the emulator's threading and connection
#                 settings answering a fixed body of the item's size: the HTTP stack's ceiling
#                 (GET rate, start time);
#   sqlite-limit  the emulator's item upsert and point read on SQLite with the emulator's
#                 settings, one statement per transaction, one thread: one-at-a-time SQLite.
# Every wrk run uses the same settings and script (items.lua); every run of the emulator has a
# warm-up that checks each status. Prints each figure, its ratio and target, PASS/FAIL;
# exits 1 if anything failed. The database of 10^6 items is built once and kept in the build
# folder (bench/big-*.db); delete it to rebuild.
# Knobs (environment): BENCH_ITEMS (1000) BENCH_BIG_ITEMS (1000000) BENCH_VALUE_BYTES (1024)
# BENCH_CONNECTIONS (64) BENCH_WRK_THREADS (2) BENCH_SECONDS (8) BENCH_WARMUP_SECONDS (2)
# BENCH_COLD_RUNS (15) BENCH_SERVER_THREADS (server default: one per core).
set -euo pipefail

bin=${1:?usage: tests/bench/run.sh PATH-TO-edgekv-emulator}
here=$(cd "$(dirname "$0")" && pwd)
items=${BENCH_ITEMS:-1000}
big_items=${BENCH_BIG_ITEMS:-1000000}
size=${BENCH_VALUE_BYTES:-1024}
conns=${BENCH_CONNECTIONS:-64}
wrk_threads=${BENCH_WRK_THREADS:-2}
seconds=${BENCH_SECONDS:-8}
warmup=${BENCH_WARMUP_SECONDS:-2}
cold_runs=${BENCH_COLD_RUNS:-15}
base=/edgekv/v1/networks/staging/namespaces/default/groups/bench/items/
big_base=/edgekv/v1/networks/staging/namespaces/default/groups/big/items/

command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing (make deps)" >&2; exit 1; }
[ -x "$bin" ] || { echo "bench: $bin is not an executable" >&2; exit 1; }

# The helpers are built next to the binary, with the project's warnings.
tools=$(dirname "$bin")/bench
mkdir -p "$tools"
build_tool() { # name libraries...
	local name=$1
	shift
	if [ ! -x "$tools/$name" ] || [ "$here/$name.c" -nt "$tools/$name" ]; then
		${CC:-cc} -std=c11 -D_XOPEN_SOURCE=700 -O2 -Wall -Wextra -Wpedantic -Werror -Wshadow \
			-Wconversion -Wformat=2 -Wundef -Wvla -Wstrict-prototypes -Wmissing-prototypes \
			-Wold-style-definition -Wwrite-strings -Wcast-qual -Wdouble-promotion -fno-common \
			"$here/$name.c" "$@" -o "$tools/$name"
	fi
}
build_tool coldstart -lgnutls
build_tool http-limit -lmicrohttpd -lpthread
build_tool sqlite-limit -lsqlite3

tmp=$(mktemp -d /tmp/ekv-bench-XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# wrk cannot sign EdgeGrid requests: measure without authentication.
extra=()
if "$bin" --help | grep -q -- '--auth'; then
	extra+=(--auth off)
fi
threads=()
if [ -n "${BENCH_SERVER_THREADS:-}" ]; then
	threads+=(--threads "$BENCH_SERVER_THREADS")
fi

failures=0
declare -a report
verdict() { # name figure ratio target pass(0|1)
	local mark=PASS
	if [ "$5" != 1 ]; then
		mark=FAIL
		failures=$((failures + 1))
	fi
	report+=("$(printf '%-50s %20s %7s  %-28s %s' "$1" "$2" "$3" "$4" "$mark")")
}
field() { # key line: the value of key=value in line
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b + 0 > 0) ? a / b : 0 }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.2f ms", v / 1000 }'; }

echo "bench: $("$bin" --version), $(nproc) cores shared by the servers and wrk"
cpu_busy() { # percent of all cores busy over one second
	local a b
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
		printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2] > 0 ? y[2] - x[2] : 1) }'
}
busy=$(cpu_busy)
echo "bench: cores ${busy}% busy before the runs (load average $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "$busy" -gt 10 ]; then
	echo "bench: warning: something else is running; ratios hold better than rates. Busiest:"
	ps -eo pcpu=,comm= --sort=-pcpu | sed -n '1,3s/^/bench:   /p'
fi
echo "bench: $items and $big_items items of $size bytes, $conns connections, wrk -t$wrk_threads," \
	"${warmup}s warm-up + ${seconds}s per run"

start_server() { # out-prefix program args...: sets $srv_pid and $srv_http, $srv_https
	local out=$1
	shift
	"$@" >"$out.out" 2>"$out.err" &
	srv_pid=$!
	pids+=("$srv_pid")
	for _ in $(seq 200); do
		grep -q '^ready$' "$out.out" 2>/dev/null && break
		kill -0 "$srv_pid" 2>/dev/null || break
		sleep 0.05
	done
	grep -q '^ready$' "$out.out" || { echo "bench: $2 did not start" >&2; cat "$out.err" >&2; exit 1; }
	srv_http=$(sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$out.out")
	srv_https=$(sed -n 's/^listening \(https:[^ ]*\)$/\1/p' "$out.out")
}
stop_server() { # pid: SIGTERM, exit 0 within 5 s; sets $status (in this shell: wait needs it)
	status=timeout
	kill -TERM "$1"
	for _ in $(seq 100); do
		if ! kill -0 "$1" 2>/dev/null; then
			status=0
			wait "$1" || status=$?
			break
		fi
		sleep 0.05
	done
}

wrk_result() { # url mode count base duration strict(0|1) [--latency]
	BENCH_STRICT=$6 wrk -t"$wrk_threads" -c"$conns" -d"$5"s --timeout 2s ${7:-} \
		-s "$here/items.lua" "$1" -- "$2" "$3" "$size" "$4" |
		grep '^result ' || { echo "bench: wrk $2 on $1 gave no result" >&2; exit 1; }
}
# A warm-up that checks every status, then the timed run; sets $rps $p50 $p99 $line.
measure() { # label url mode count base
	local check errs
	check=$(wrk_result "$2" "$3" "$4" "$5" "$warmup" 1)
	line=$(wrk_result "$2" "$3" "$4" "$5" "$seconds" 0 --latency)
	echo "bench: $1: $line"
	rps=$(field rps "$line")
	p50=$(field p50_us "$line")
	p99=$(field p99_us "$line")
	errs=$(($(field strict_bad "$check") + $(field status_errors "$check") +
		$(field socket_errors "$check") + $(field timeouts "$check") +
		$(field status_errors "$line") + $(field socket_errors "$line") +
		$(field timeouts "$line")))
	[ "$(field strict_answered "$check")" -gt 0 ] || errs=$((errs + 1))
	verdict "$1: errors, non-2xx, timeouts" "$errs" "" "0" "$([ "$errs" = 0 ] && echo 1)"
}
latency() { # label: p99 <= 3 x p50 of the last measure
	verdict "$1 p50 / p99" "$(ms "$p50") / $(ms "$p99")" "$(ratio "$p99" "$p50")" \
		"p99 <= 3 x p50" "$(ge "$((3 * p50))" "$p99" && echo 1)"
}
against() { # label figure limit target-ratio limit-name
	local r
	r=$(ratio "$2" "$3")
	verdict "$1" "$2" "$r" ">= $4 x $5" "$(ge "$r" "$4" && echo 1)"
}

# 1. The emulator on a new database, HTTP and HTTPS, seeded with $items items.
start_server "$tmp/emu" "$bin" --db "$tmp/bench.db" --http-port 0 --https-port 0 \
	--no-access-log "${extra[@]}" "${threads[@]}"
emu=$srv_pid url=$srv_http surl=$srv_https
sleep 1
idle=$(awk '/^VmRSS:/ { print $2 }' "/proc/$emu/status")
seeded=$(BENCH_STRICT=1 wrk -t1 -c1 -d120s --timeout 5s -s "$here/items.lua" "$url" -- \
	seed "$items" "$size" "$base" | grep -E '^seeded ' || true)
listed=$(curl -sS --max-time 10 "$url${base%/items/}?maxItems=$((items + 1))" | tr ',' '\n' |
	grep -c '"k[0-9]*"' || true)
echo "bench: seed: ${seeded:-nothing}; the group lists $listed keys"
if [ "$(field items "$seeded")" != "$items" ] || [ "$(field bad "$seeded")" != 0 ] ||
	[ "$listed" != "$items" ]; then
	echo "bench: seeding failed" >&2
	exit 1
fi

# 2. The emulator's item runs between two runs of the HTTP ceiling (their mean is the limit:
# a machine whose load changes during the runs moves both sides alike).
http_limit() { # sets $limit_rps: the mean of this run and the ones before
	start_server "$tmp/limit" "$tools/http-limit" --http-port 0 --body-bytes "$size" \
		"${threads[@]}"
	measure "http-limit GET" "$srv_http" get "$items" "$base"
	stop_server "$srv_pid"
	# Reported, not judged: the tail the HTTP stack and the scheduler give a bare server here.
	verdict "http-limit GET p50 / p99 (reference)" "$(ms "$p50") / $(ms "$p99")" \
		"$(ratio "$p99" "$p50")" "-" 1
	limit_sum=$(awk -v a="${limit_sum:-0}" -v b="$rps" 'BEGIN { print a + b }')
	limit_runs=$((${limit_runs:-0} + 1))
	limit_rps=$(awk -v a="$limit_sum" -v n="$limit_runs" 'BEGIN { printf "%.1f", a / n }')
}
http_limit
measure "item GET" "$url" get "$items" "$base"
get_rps=$rps get_p50=$p50 get_p99=$p99
measure "item PUT" "$url" put "$items" "$base"
put_rps=$rps
latency "item PUT"
measure "mixed 90/10 GET/PUT" "$url" mixed "$items" "$base"
mixed_rps=$rps
measure "item GET over HTTPS, keep-alive" "$surl" get "$items" "$base"
against "item GET over HTTPS req/s" "$rps" "$get_rps" 0.6 "plain HTTP"
http_limit
echo "bench: http-limit GET, mean of $limit_runs runs: $limit_rps"
against "item GET req/s ($conns conns)" "$get_rps" "$limit_rps" 0.7 http-limit
p50=$get_p50 p99=$get_p99
latency "item GET"
against "mixed 90/10 req/s" "$mixed_rps" "$limit_rps" 0.6 http-limit
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$emu/status")
verdict "server memory, peak under load (VmHWM)" "$hwm kB" "" "<= 24 MB (23437 kB)" \
	"$(ge 23437 "$hwm" && echo 1)"
verdict "server memory, idle after start (VmRSS)" "$idle kB" "" "<= 8 MB (7812 kB)" \
	"$(ge 7812 "$idle" && echo 1)"
stop_server "$emu"
verdict "server exit status on SIGTERM" "$status" "" "0" "$([ "$status" = 0 ] && echo 1)"

# 3. One-at-a-time SQLite.
line=$("$tools/sqlite-limit" "$tmp/limit.db" --items "$items" --value-bytes "$size" --seconds 3)
echo "bench: sqlite-limit: $line"
against "item PUT req/s ($conns conns)" "$put_rps" "$(field upsert_rps "$line")" 1.5 \
	"sqlite-limit upsert"

# 4. The same on 10^6 items, on a database built once and kept next to the helpers: the
# emulator makes the account, namespace and group, the rows are copied in with sqlite3.
big=$tools/big-$big_items.db
if [ ! -f "$big" ]; then
	echo "bench: building $big (once)"
	rm -f "$big.new" "$big.new-wal" "$big.new-shm"
	start_server "$tmp/mk" "$bin" --db "$big.new" --http-port 0 --https-port off \
		--no-access-log "${extra[@]}"
	curl -sS -o /dev/null --max-time 10 -X PUT -H 'Content-Type: text/plain' \
		--data-binary k0 "$srv_http${big_base}k0"
	stop_server "$srv_pid"
	[ "$status" = 0 ] || { echo "bench: cannot build $big" >&2; exit 1; }
	sqlite3 "$big.new" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
		WHERE i < $big_items - 1) INSERT INTO item (account, network, namespace, sandbox,
		grp, key, written_at, value, content_type) SELECT t.account, t.network, t.namespace,
		t.sandbox, t.grp, 'k' || n.i, t.written_at, randomblob($size), t.content_type
		FROM n, (SELECT * FROM item WHERE grp = 'big' AND key = 'k0') AS t;
		UPDATE item SET value = randomblob($size) WHERE grp = 'big' AND key = 'k0';
		PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	mv "$big.new" "$big"
fi
# Read the file once so its runs measure the b-tree, not the disk: right after the build, or
# after other work pushed it out of the page cache, the first GETs read 1.4 GB from disk.
cat "$big" >/dev/null
start_server "$tmp/big" "$bin" --db "$big" --http-port 0 --https-port off --no-access-log \
	"${extra[@]}" "${threads[@]}"
measure "item GET, $big_items items" "$srv_http" get "$big_items" "$big_base"
against "item GET req/s, $big_items vs $items items" "$rps" "$get_rps" 0.9 "$items items"
measure "item PUT, $big_items items" "$srv_http" put "$big_items" "$big_base"
against "item PUT req/s, $big_items vs $items items" "$rps" "$put_rps" 0.9 "$items items"
stop_server "$srv_pid"
verdict "server on $big_items items: exit on SIGTERM" "$status" "" "0" \
	"$([ "$status" = 0 ] && echo 1)"

# 5. Start times, to the first answered request (tests/bench/coldstart.c).
cold() { # binary args...: the median in ms
	local line
	line=$(if [ ${#extra[@]} -gt 0 ]; then export EDGEKV_AUTH=off; fi
		"$tools/coldstart" "$@" --timeout-ms 5000) || { echo 0; return; }
	echo "bench: coldstart $(basename "$1") ${*:2}: $line" >&2
	field median_ms "$line"
}
limit_ms=$(cold "$tools/http-limit" --runs "$cold_runs")
new_ms=$(cold "$bin" --runs "$cold_runs")
verdict "cold start, new db (median ms)" "$new_ms" "$(ratio "$new_ms" "$limit_ms")" \
	"<= 1.3 x http-limit" "$(ge "$(ratio "$limit_ms" 1)" "$(ratio "$new_ms" 1.3)" && echo 1)"
cold "$bin" --runs 1 --db "$tmp/empty.db" >/dev/null # made: the next starts are restarts
empty_ms=$(cold "$bin" --runs "$cold_runs" --db "$tmp/empty.db")
big_ms=$(cold "$bin" --runs "$cold_runs" --db "$big")
verdict "restart on $big_items items (median ms)" "$big_ms" "$(ratio "$big_ms" "$empty_ms")" \
	"<= 1.0 x on an empty db" "$(ge "$empty_ms" "$big_ms" && echo 1)"
https_ms=$(cold "$bin" --runs 5 --https)
verdict "first start, HTTPS on, makes its cert (ms)" "$https_ms" "" "-" 1

echo
printf '%-50s %20s %7s  %-28s %s\n' "measure" "figure" "ratio" "target" "result"
printf '%s\n' "${report[@]}"
echo "bench: load average after the runs $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$failures" -gt 0 ]; then
	echo "bench: $failures FAIL"
	exit 1
fi
echo "bench: all PASS"
