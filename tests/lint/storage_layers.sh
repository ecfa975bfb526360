#!/bin/sh
# make lint: calls inside storage/ run one way, down the levels storage/internal.h lists. A file
# may call the functions that files of lower levels define, never those of its own level or above.
# Usage: tests/lint/storage_layers.sh [DIR] (default storage); exit 1 on a call running back up.
dir=${1:-storage}
levels='store.c
sweeper.c
checkpoint.c integrity.c snapshots.c state.c accounts.c namespaces.c items.c identity.c tokens.c jobs.c browse.c
transaction.c migrations.c
connection.c
names.c library.c schema.c'

# The functions a file defines for others: a definition starts at column 0, is not static, and
# names itself just before its parameter list.
defined() {
	grep -E '^[a-z].*[a-z0-9_]+\(' "$dir/$1" | grep -v '^static' | grep -v ';$' |
		sed -E 's/^([^(]*[^a-z0-9_(])?([a-z0-9_]+)\(.*/\2/'
}

status=0
level=0
echo "$levels" | while read -r files; do
	level=$((level + 1))
	for f in $files; do
		[ -f "$dir/$f" ] || { echo "storage_layers: $dir/$f is missing from the disk" >&2; exit 1; }
		# every file of this level and above
		echo "$levels" | head -n "$level" | tr ' ' '\n' | while read -r g; do
			[ "$g" = "$f" ] && continue
			for fn in $(defined "$g"); do
				if grep -nE "(^|[^a-z0-9_])$fn\(" "$dir/$f" >/dev/null; then
					echo "storage_layers: $dir/$f calls $fn() of $dir/$g, which is not below it" >&2
					exit 1
				fi
			done
		done || exit 1
	done
done || status=1

# Every .c file of the folder has its place in the levels.
for path in "$dir"/*.c; do
	echo "$levels" | tr ' ' '\n' | grep -qx "${path##*/}" ||
		{ echo "storage_layers: ${path##*/} has no level in $0" >&2; status=1; }
done
exit $status
