#!/usr/bin/env bash
# Docs and comments cite only what a reader of this repository can open: the facts
# taken from public material are restated in docs/behaviour.md and docs/clients.md
# and cited by their section ("docs/behaviour.md §5.6"); public standards by name
# ("RFC 9112 §6.3"). Fails on an issue number, a path outside the repository, a bare
# "§N", or a source tag of notes outside the repository ("SPEC23", "GO-OLD", "TD-LIMITS"...).
# Prints each violation as file:line: text; exits 1 on any.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' '*.def' '*.mjs' '*.js' '*.md' \
	'*.sh' '*.py' '*.lua' 'Makefile' '*Dockerfile' 'tests/api/schemas/*.json' |
	grep -v -e '^node_modules/' -e '/node_modules/' -e '^tests/lint/citations.sh$' | sort -u)

# shellcheck disable=SC2086
perl -CSD -Mutf8 -ne '
	BEGIN {
		$bad = 0;
		$prev = "";
		$doc = qr/(?:docs\/behaviour\.md|docs\/clients\.md|behaviour\.md|clients\.md|RFC ?\d+|ISO(?: \d+)?|POSIX|PKCS ?#?\d+)/;
	}
	# Text that names something outside the repository or an issue tracker.
	my $hit = 0;
	my @forbidden = (
		qr/\bbehaviour §/i, qr/edgekv-behaviour/, qr/edgekv-bulk\.md/, qr/\bseeds\//,
		qr/edgekv-(?:known-issues|access-tokens)\.txt/, qr/SPEC2[0-9]/, qr/\bGO-OLD\b/,
		qr/\bOLDDOC\b/, qr/\bapi-spec\b/, qr/\bTD-[A-Z]{3,}\b/, qr/\bGO\b(?![-_(])/,
		qr/\.\.\/shared\b/, qr/\/work\/shared\b/, qr/edgekv-openapi\//, qr/(?<![\w\/.(])clients\.md\b/,
		qr/\((?:issue|Issue) \d+/, qr/\bissues? \d+\b/, qr/(?<![A-Za-z])#\d+\)/, qr/\(#\d+\b/,
		qr/\bstyle(?: guide)? §/, qr/\bthe seed\x27s (?:sandbox|permission|body|500|`500|"Sandbox|known)/, qr/\(the seed\b/,
	);
	for my $re (@forbidden) {
		if ($_ =~ $re) { print "citations: $ARGV:$.: $_"; $bad = 1; $hit = 1; last }
	}
	# A "§N" must say whose section it is, or continue a list that does ("§5.5, §5.9").
	# docs/behaviour.md and docs/clients.md number their own sections.
	unless ($hit || $ARGV =~ m{^docs/(?:behaviour|clients)\.md$}) {
		my $line = $_;
		while ($line =~ /§\d/g) {
			my $before = substr($line, 0, $-[0]);
			next if $before =~ /$doc\s*$/;
			next if $before =~ /§\d+(?:\.\d+)*(?:\s+(?:row|item|quirk)s?\s+\d+)?(?:,\s*|\s+and\s+|\s+or\s+|\s*[-–\/]\s*)$/;
			# clang-format may wrap a comment between the document and its "§N".
			next if $before =~ /^\s*(?:\/?\*+|\/\/+|#+)?\s*$/ && ($prev =~ /$doc\s*$/ ||
				$prev =~ /§\d+(?:\.\d+)*(?:\s+(?:row|item|quirk)s?\s+\d+)?(?:,|\s+and|\s+or|\s*[-–\/])\s*$/);
			print "citations: $ARGV:$.: $_"; $bad = 1; last;
		}
	}
	$prev = $_;
	if (eof) { close ARGV; $prev = "" }    # reset $. per file
	END { exit $bad }
' $files
