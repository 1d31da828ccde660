#!/bin/sh
# Runs fpubench and reports each figure as a LAVA test case (lava-test-case NAME --result R
# [--measurement V --units U]); without lava-test-case (outside LAVA) the same lines go to
# ./result.txt, as Linaro's test-definitions do. POSIX sh: it runs under busybox ash in a minimal
# guest too. Options (all given by fpubench.yaml's params):
#   -s SUITE  --benchmark_filter ("" = default suite)   -r N  repetitions   -q true|false  --quick
#   -t SECONDS  integrity torture (0: none)   -l LABEL   -i true|false  skip install and build
#   -b BINARY  a prebuilt fpubench (no checkout, no Python: the binary alone)
set -u
SUITE="" REPETITIONS=3 QUICK=false TORTURE=10 LABEL=lava SKIP_INSTALL=false BINARY=""
while getopts "s:r:q:t:l:i:b:" opt; do
  case "$opt" in
    s) SUITE="$OPTARG" ;; r) REPETITIONS="$OPTARG" ;; q) QUICK="$OPTARG" ;; t) TORTURE="$OPTARG" ;;
    l) LABEL="$OPTARG" ;; i) SKIP_INSTALL="$OPTARG" ;; b) BINARY="$OPTARG" ;;
    *) echo "usage: $0 [-s SUITE] [-r N] [-q true|false] [-t SECONDS] [-l LABEL] [-i true|false] [-b BINARY]" >&2
       exit 2 ;;
  esac
done

OUT="${TMPDIR:-/tmp}/fpubench-lava.$$"
mkdir -p "$OUT" || exit 4
LINES="$OUT/lab.txt"

report() {  # name result [measurement units]
  if command -v lava-test-case >/dev/null 2>&1; then
    if [ -n "${3:-}" ]; then
      lava-test-case "$1" --result "$2" --measurement "$3" --units "${4:-}"
    else
      lava-test-case "$1" --result "$2"
    fi
  else
    echo "$*" >> result.txt
  fi
}

flags="--benchmark_repetitions=$REPETITIONS"
[ -n "$SUITE" ] && flags="$flags --benchmark_filter=$SUITE"
[ "$QUICK" = true ] && quick="--quick" || quick=""

if [ -n "$BINARY" ]; then  # the binary alone
  # shellcheck disable=SC2086
  "$BINARY" $quick $flags --benchmark_out="$OUT/result.json" --lab-out="$LINES" > "$OUT/console.txt" 2>&1
  status=$?
else  # a checkout: set-up (packages, build) and the result kept under results/<LABEL>/
  if [ "$SKIP_INSTALL" != true ]; then
    scripts/fpubench setup || { report fpubench.setup fail; exit 4; }
  fi
  # shellcheck disable=SC2086
  scripts/fpubench run --label "$LABEL" $quick -- $flags --lab-out="$LINES"
  status=$?
fi
# The contract (README, "Exit status"): 2 cannot run here, 3 integrity, 4 the machine failed.
case "$status" in
  0) ;;
  3) report fpubench.run fail; echo "fpubench: FPU state was corrupted during the run" ;;
  *) tail -5 "$OUT/console.txt" 2>/dev/null; report fpubench.run fail; echo "fpubench: the run exited $status" ;;
esac

if [ -f "$LINES" ]; then
  while IFS= read -r line; do
    case "$line" in
      "#"*) echo "$line" ;;  # the context and the skips' reasons: kept in the job's log
      *) # shellcheck disable=SC2086
         report $line ;;
    esac
  done < "$LINES"
fi

if [ "$TORTURE" != 0 ]; then
  if [ -n "$BINARY" ]; then
    "$BINARY" torture --seconds="$TORTURE" --out="$OUT/torture.json" > "$OUT/torture.txt" 2>&1
  else
    scripts/fpubench torture --seconds "$TORTURE" --label "$LABEL" > "$OUT/torture.txt" 2>&1
  fi
  case $? in
    0) report fpubench.torture pass ;;
    2) echo "# skip fpubench.torture: $(tail -1 "$OUT/torture.txt")"; report fpubench.torture skip ;;
    *) cat "$OUT/torture.txt"; report fpubench.torture fail ;;
  esac
fi
exit 0
