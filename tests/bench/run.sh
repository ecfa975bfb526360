#!/usr/bin/env bash
# make bench: item GET and PUT throughput and latency, server memory and cold start,
# each against the targets of docs/performance.md (which records a run).
#
#   tests/bench/run.sh build/release/edgekv-emulator
#
# Starts the server on loopback with a temporary database (HTTPS off, no access log), seeds
# BENCH_ITEMS items of BENCH_VALUE_BYTES in one group, then runs wrk over keep-alive
# connections: a warm-up that checks every status in Lua, then the timed run. Afterwards it
# reads VmHWM/VmRSS, stops the server with SIGTERM (exit 0 required) and measures cold start
# with tests/bench/coldstart.c. Prints PASS/FAIL per target; exits 1 if anything failed.
# A second, shorter pair of runs at BENCH_LOW_CONNECTIONS shows the latency of a request that
# does not queue behind 63 others (reported, no target).
# Knobs (environment): BENCH_ITEMS (10000) BENCH_VALUE_BYTES (1024) BENCH_CONNECTIONS (64)
# BENCH_LOW_CONNECTIONS (8) BENCH_WRK_THREADS (2) BENCH_SECONDS (10) BENCH_WARMUP_SECONDS (2)
# BENCH_COLD_RUNS (20) BENCH_SERVER_THREADS (server default: one per core).
# The figures are only as good as the machine is quiet: how busy the cores were is printed first.
set -euo pipefail

bin=${1:?usage: tests/bench/run.sh PATH-TO-edgekv-emulator}
here=$(cd "$(dirname "$0")" && pwd)
items=${BENCH_ITEMS:-10000}
size=${BENCH_VALUE_BYTES:-1024}
conns=${BENCH_CONNECTIONS:-64}
low_conns=${BENCH_LOW_CONNECTIONS:-8}
wrk_threads=${BENCH_WRK_THREADS:-2}
seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP_SECONDS:-2}
cold_runs=${BENCH_COLD_RUNS:-20}
base=/edgekv/v1/networks/staging/namespaces/default/groups/bench/items/

# Targets ("Tests and figures").
target_get_rps=30000
target_put_rps=10000
target_p99_us=5000
target_cold_ms=50
target_rss_kb=19531 # 20 MB read strictly: 20,000,000 bytes, not 20 MiB

command -v wrk >/dev/null || { echo "bench: wrk is missing (make deps)" >&2; exit 1; }
[ -x "$bin" ] || { echo "bench: $bin is not an executable" >&2; exit 1; }

# coldstart is built next to the binary, with the project's warnings.
coldstart=$(dirname "$bin")/bench/coldstart
if [ ! -x "$coldstart" ] || [ "$here/coldstart.c" -nt "$coldstart" ]; then
	mkdir -p "$(dirname "$coldstart")"
	${CC:-cc} -std=c11 -D_XOPEN_SOURCE=700 -O2 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wformat=2 \
		-Wundef -Wvla -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
		-Wwrite-strings -Wcast-qual -Wdouble-promotion -fno-common \
		"$here/coldstart.c" -lgnutls -o "$coldstart"
fi

tmp=$(mktemp -d /tmp/ekv-bench-XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# EdgeGrid is on by default and wrk cannot sign: measure without it.
extra=()
if "$bin" --help | grep -q -- '--auth'; then
	extra+=(--auth off)
fi

failures=0
declare -a report
verdict() { # name figure target pass(0|1)
	local mark=PASS
	if [ "$4" != 1 ]; then
		mark=FAIL
		failures=$((failures + 1))
	fi
	report+=("$(printf '%-48s %12s   %-10s %s' "$1" "$2" "$3" "$mark")")
}
field() { # key line: the value of key=value in line
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

echo "bench: $("$bin" --version), $(nproc) cores shared by the server and wrk"
# How busy the cores are over one second, before the server starts (all of them: the figures
# below assume the machine is otherwise idle).
cpu_busy() {
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
	echo "bench: warning: something else is running; the figures below will be low. Busiest:"
	ps -eo pcpu=,comm= --sort=-pcpu | sed -n '1,3s/^/bench:   /p'
fi
echo "bench: $items items of $size bytes, $conns connections, wrk -t$wrk_threads," \
	"${warmup}s warm-up + ${seconds}s per run"

server_args=(--db "$tmp/bench.db" --https-port off --http-port 0 --no-access-log "${extra[@]}")
if [ -n "${BENCH_SERVER_THREADS:-}" ]; then
	server_args+=(--threads "$BENCH_SERVER_THREADS")
fi
"$bin" "${server_args[@]}" >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do
	grep -q '^ready$' "$tmp/out" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
grep -q '^ready$' "$tmp/out" || { echo "bench: server did not start" >&2; cat "$tmp/err" >&2; exit 1; }
url=$(sed -n 's/^listening \(http:[^ ]*\)$/\1/p' "$tmp/out")
echo "bench: server pid $pid at $url"

run_wrk() { # mode duration strict(0|1) connections [--latency]
	BENCH_STRICT=$3 wrk -t"$wrk_threads" -c"$4" -d"$2"s --timeout 2s ${5:-} \
		-s "$here/items.lua" "$url" -- "$1" "$items" "$size" "$base" |
		grep '^result ' || { echo "bench: wrk $1 gave no result" >&2; exit 1; }
}

# Seed: one connection, one PUT per key, in order; then check the group holds every key.
start=$(date +%s.%N)
seeded=$(BENCH_STRICT=1 wrk -t1 -c1 -d120s --timeout 5s -s "$here/items.lua" "$url" -- \
	seed "$items" "$size" "$base" | grep -E '^(seeded|result) ' || true)
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
listed=$(curl -sS --max-time 10 "$url${base%/items/}?maxItems=$((items + 1))" | tr ',' '\n' |
	grep -c '"k[0-9]*"' || true)
echo "bench: seed: ${seeded:-nothing} in ${took}s; the group lists $listed keys"
if [ "$(field items "$seeded")" != "$items" ] || [ "$(field bad "$seeded")" != 0 ] ||
	[ "$listed" != "$items" ]; then
	echo "bench: seeding failed" >&2
	exit 1
fi

measure() { # mode target_rps label
	local check line rps p50 p99 errs bytes
	check=$(run_wrk "$1" "$warmup" 1 "$conns")
	line=$(run_wrk "$1" "$seconds" 0 "$conns" --latency)
	echo "bench: $1 warm-up: $check"
	echo "bench: $1: $line"
	rps=$(field rps "$line")
	p50=$(field p50_us "$line")
	p99=$(field p99_us "$line")
	bytes=$(field bytes "$line")
	if [ "$(field strict_answered "$check")" -eq 0 ]; then # the Lua check never ran
		echo "bench: the $1 warm-up checked no status" >&2
		check="$check strict_bad=1"
	fi
	errs=$(($(field strict_bad "$check") + $(field status_errors "$check") +
		$(field socket_errors "$check") + $(field timeouts "$check") +
		$(field status_errors "$line") + $(field socket_errors "$line") +
		$(field timeouts "$line")))
	verdict "item $1 requests/s ($conns conns)" "$rps" ">= $2" "$(ge "$rps" "$2" && echo 1)"
	verdict "item $1 p50 latency" "$(awk -v v="$p50" 'BEGIN { printf "%.2f ms", v / 1000 }')" \
		"-" 1
	verdict "item $1 p99 latency" "$(awk -v v="$p99" 'BEGIN { printf "%.2f ms", v / 1000 }')" \
		"< 5 ms" "$(lt "$p99" "$target_p99_us" && echo 1)"
	verdict "item $1 errors and non-2xx" "$errs" "0" "$([ "$errs" = 0 ] && echo 1)"
	if [ "$1" = get ]; then # every answer carried a whole value: real item reads, not 404s
		local per=$((bytes / $(field requests "$line")))
		verdict "item get bytes per response" "$per" "> $size" "$([ "$per" -gt "$size" ] && echo 1)"
	fi
}
measure get "$target_get_rps"
measure put "$target_put_rps"

# The same requests with few connections: latency without the queue (Little's law: with 64
# connections the mean latency is 64 / throughput, whatever the server does).
for mode in get put; do
	line=$(run_wrk "$mode" 5 0 "$low_conns" --latency)
	echo "bench: $mode with $low_conns connections: $line"
	errs=$(($(field status_errors "$line") + $(field socket_errors "$line") +
		$(field timeouts "$line")))
	verdict "item $mode, $low_conns conns: req/s" "$(field rps "$line")" "-" 1
	verdict "item $mode, $low_conns conns: p99" \
		"$(awk -v v="$(field p99_us "$line")" 'BEGIN { printf "%.2f ms", v / 1000 }')" "-" 1
	verdict "item $mode, $low_conns conns: errors" "$errs" "0" "$([ "$errs" = 0 ] && echo 1)"
done

hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
wal=$(stat -c %s "$tmp/bench.db-wal" 2>/dev/null || echo 0)
echo "bench: server VmHWM ${hwm} kB, VmRSS ${rss} kB; WAL file $((wal / 1024)) kB"
verdict "server RSS peak (VmHWM)" "${hwm} kB" "< 19531 kB" "$(lt "$hwm" "$target_rss_kb" && echo 1)"
verdict "server RSS after the runs (VmRSS)" "${rss} kB" "< 19531 kB" \
	"$(lt "$rss" "$target_rss_kb" && echo 1)"

kill -TERM "$pid"
status=timeout
for _ in $(seq 100); do
	if ! kill -0 "$pid" 2>/dev/null; then
		status=0
		wait "$pid" || status=$?
		break
	fi
	sleep 0.05
done
pid_done=$pid
pid=
verdict "server exit status on SIGTERM" "$status" "0" "$([ "$status" = 0 ] && echo 1)"
[ "$status" = 0 ] || { echo "bench: server $pid_done: exit $status" >&2; cat "$tmp/err" >&2; }

cold() { # label target(ms or -) coldstart args...
	local label=$1 target=$2 line median max
	shift 2
	# The probe (GET /edgekv/v1/initialize) is unsigned: EdgeGrid off, as for wrk above.
	line=$(if [ ${#extra[@]} -gt 0 ]; then export EDGEKV_AUTH=off; fi
		"$coldstart" "$bin" --timeout-ms 5000 "$@") || {
		verdict "$label" "failed" "$target" 0
		return
	}
	echo "bench: $label: $line"
	median=$(field median_ms "$line")
	max=$(field max_ms "$line")
	if [ "$target" = - ]; then
		verdict "$label, median" "$median ms" "-" 1
	else
		verdict "$label, median" "$median ms" "< $target ms" "$(lt "$median" "$target" && echo 1)"
		verdict "$label, max" "$max ms" "< $target ms" "$(lt "$max" "$target" && echo 1)"
	fi
}
cold "cold start, new db, HTTP only" "$target_cold_ms" --runs "$cold_runs"
cold "restart on the ${items}-item db" "$target_cold_ms" --runs 5 --db "$tmp/bench.db"
cold "first start, HTTPS on (makes its cert)" "$target_cold_ms" --runs 5 --https

echo
printf '%-48s %12s   %-10s %s\n' "measure" "figure" "target" "result"
printf '%s\n' "${report[@]}"
if [ "$failures" -gt 0 ]; then
	echo "bench: $failures FAIL"
	exit 1
fi
echo "bench: all PASS"
