#!/bin/sh
# The manual page renders with man -l, without groff warnings, and names every flag and
# environment variable that --help lists. Usage: check.sh BINARY PAGE
set -eu
bin=$1 page=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# LC_ALL=C renders \- as '-', so flags read as they are typed.
LC_ALL=C MANWIDTH=100 MAN_KEEP_FORMATTING= man --warnings=w -l "$page" >"$tmp/page" 2>"$tmp/warnings"
if [ -s "$tmp/warnings" ]; then
	echo "man-check: $page renders with warnings:" >&2
	cat "$tmp/warnings" >&2
	exit 1
fi
# Drop overstrike bold and underline, whatever man did with them.
sed -e 's/.\x08//g' "$tmp/page" >"$tmp/text"
# A section's text: from its heading (at column 0) to the next heading.
section() { awk -v s="$1" '/^[A-Z]/ { on = ($0 == s) } on' "$tmp/text"; }
section OPTIONS >"$tmp/options"
section ENVIRONMENT >"$tmp/environment"
"$bin" --help >"$tmp/help"
grep -oE -- '^  --[a-z-]+' "$tmp/help" | sed 's/^ *//' >"$tmp/flags"
grep -oE -- 'EDGEKV_[A-Z_]+' "$tmp/help" >"$tmp/variables"
[ "$(wc -l <"$tmp/flags")" -gt 20 ] || { echo "man-check: --help lists too few options" >&2; exit 1; }
missing=0
# Each flag opens an entry of OPTIONS, each variable one of ENVIRONMENT (indented 7 columns).
for flag in $(cat "$tmp/flags"); do
	grep -qE -- "^       $flag( |\$)" "$tmp/options" || {
		echo "man-check: $flag is in --help but has no entry in OPTIONS of $page" >&2
		missing=1
	}
done
for var in $(cat "$tmp/variables"); do
	grep -qx -- "       $var" "$tmp/environment" || {
		echo "man-check: $var is in --help but has no entry in ENVIRONMENT of $page" >&2
		missing=1
	}
done
cat "$tmp/flags" "$tmp/variables" >"$tmp/names"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS LISTENERS AUTHENTICATION 'DATA FOLDER' \
	'CONTROL API' SIGNALS 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
	grep -qx "$section" "$tmp/text" || { echo "man-check: no section $section" >&2; missing=1; }
done
[ "$missing" = 0 ] && echo "man-check: $(wc -l <"$tmp/names") flags and variables of --help are in $page"
exit "$missing"
