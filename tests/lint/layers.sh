#!/usr/bin/env bash
# The layer rule of docs/architecture.md, checked on the sources' #include lines:
# a file may include headers of its own folder and of folders below it, never above;
# and no two source units (foo.c with foo.h) may include each other, directly or
# through others (tsort finds such loops). Prints each violation; exits 1 on any.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Folders from the top down; a higher number may include a lower or equal one.
rank() {
	case "$1" in
	server/*) echo 10 ;;
	api/dispatch/*) echo 8 ;;
	api/control/*) echo 7 ;;
	api/dataplane/*) echo 6 ;;
	api/edgekv/*) echo 5 ;;
	api/auth/*) echo 4 ;;
	api/state/*) echo 3 ;;
	api/core/*) echo 2 ;;
	api/*) echo 9 ;;
	storage/*) echo 1 ;;
	base/*) echo 0 ;;
	build/*/gen/*) echo 0 ;;
	*) echo -1 ;;
	esac
}

bad=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
files=$(git ls-files -co --exclude-standard -- 'server/*.[ch]' 'api/*.[ch]' 'storage/*.[ch]' 'base/*.[ch]')
for f in $files; do
	[ -f "$f" ] || continue
	from=$(rank "$f")
	while IFS= read -r inc; do
		to=$(rank "$inc")
		if [ "$to" -lt 0 ]; then
			echo "layers: $f includes \"$inc\", which is in no layer"
			bad=1
		elif [ "$to" -gt "$from" ]; then
			echo "layers: $f includes \"$inc\": a call running back up ($(dirname "$f")/ is below $(dirname "$inc")/)"
			bad=1
		fi
		case "$inc" in *.h) echo "$f $inc" >>"$edges" ;; esac
	done < <(sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
# Units are foo.c with foo.h; a header without a .c of its own (types, or a folder's
# private header) is no unit: an include of it stands for what it includes. tsort reads
# "a b" as a before b and names the files of any loop.
if ! awk '
	function unit(p) { sub(/\.[ch]$/, "", p); return p }
	function walk(from, h,    i, n, parts) {
		if (seen[from SUBSEP h]++) return
		if (h in has_c || !(h in incs)) { if (unit(h) != from) print from, unit(h); return }
		n = split(incs[h], parts, " ")
		for (i = 1; i <= n; i++) walk(from, parts[i])
	}
	{ incs[$1] = incs[$1] " " $2; if ($1 ~ /\.c$/) has_c[unit($1) ".h"] = 1; src[$1] = 1 }
	END { for (f in src) if (f ~ /\.c$/ || f in has_c) { n = split(incs[f], p, " ")
		for (i = 1; i <= n; i++) walk(unit(f), p[i]) } }
' "$edges" | tsort >/dev/null 2>"$edges.loops"; then
	echo "layers: files that include each other in a loop:"
	grep -v 'input contains a loop' "$edges.loops" | sed 's/^tsort: /  /'
	bad=1
fi
rm -f "$edges.loops"
[ "$bad" = 0 ] && echo "layers: every include runs down"
exit "$bad"
