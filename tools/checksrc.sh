#!/usr/bin/env bash
# checksrc.sh - fails on calls to C library functions this project bans (like curl's checksrc).
#
#   tools/checksrc.sh [FILE...]     default: every tracked and untracked .c/.h file
#
# Banned, and what to use instead:
#   sprintf, strcpy, strcat   no bound on the destination: snprintf, memcpy with a checked
#                             length, or an oa_buf (util/buf.h)
#   strtok                    keeps hidden state, not thread-safe: strtok_r, or walk with strchr
#   atoi                      no error reporting, UB on overflow: oa_parse_int (util/text.h)
#   gets                      unbounded: fgets or getline
#   strerror                  its buffer is shared between threads: oa_strerror (util/text.h)
# Comments and string literals are ignored, so prose may name them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.c' '*.h')
else
  files=("$@")
fi
perl -e '
  my $bad = 0;
  for my $f (@ARGV) {
    open(my $fh, "<", $f) or die "$f: $!";
    local $/; my $src = <$fh>; close $fh;
    # Blank out comments, string and character literals, keeping newlines for line numbers.
    $src =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27)}{
      my $m = $1; (my $k = $m) =~ s/[^\n]/ /g; $k }gse;
    my $line = 1;
    for my $l (split /\n/, $src, -1) {
      if ($l =~ /(?<![\w.>])(sprintf|strcpy|strcat|strtok|atoi|gets|strerror)\s*\(/) {
        print "$f:$line: $1() is banned (see tools/checksrc.sh for what to use)\n";
        $bad = 1;
      }
      $line++;
    }
  }
  exit $bad;
' "${files[@]}"
echo "checksrc: ${#files[@]} files, no banned functions"
