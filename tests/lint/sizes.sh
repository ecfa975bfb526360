#!/usr/bin/env bash
# Size limits of the style guide: no source file over 600 lines and no function
# over 60 (generated code aside). Functions are found the way the code is laid
# out (clang-format, Linux braces): a "{" alone at column 0 opens a body, the
# next "}" at column 0 closes it. Prints each violation; exits 1 on any.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
MAX_FILE=${MAX_FILE:-600}
MAX_FUNC=${MAX_FUNC:-60}
files=$(git ls-files -co --exclude-standard -- 'server/*.[ch]' 'api/*.[ch]' 'storage/*.[ch]' 'base/*.[ch]')
bad=0
for f in $files; do
	[ -f "$f" ] || continue
	awk -v f="$f" -v maxfile="$MAX_FILE" -v maxfunc="$MAX_FUNC" '
		/^\{$/ { start = NR; name = prev }
		/^\}/ && start { n = NR - start - 1; if (n > maxfunc) { printf "sizes: %s:%d: %s is %d lines (at most %d)\n", f, start, name, n, maxfunc; bad = 1 } start = 0 }
		{ if ($0 ~ /^[A-Za-z_].*\(/) prev = $0 }
		END { if (NR > maxfile) { printf "sizes: %s is %d lines (at most %d)\n", f, NR, maxfile; bad = 1 } exit bad }
	' "$f" || bad=1
done
[ "$bad" = 0 ] && echo "sizes: every file and function within its limit"
exit "$bad"
