# Sourced by the assign benchmarks: measure N OUT LOG COMMAND... runs the command N times under
# GNU time (standard input from $stdin, else /dev/null; standard output to OUT, stderr to LOG,
# temporary files in $work) and prints "best_seconds peak_kB". Paths in $fresh are removed
# before each try, outside the timing, so that every try writes new files.
measure() {
  local n=$1 out=$2 log=$3 best="" rss=0
  shift 3
  for _ in $(seq "$n"); do
    # shellcheck disable=SC2086  # $fresh is a list of paths
    [ -z "${fresh:-}" ] || rm -f -- $fresh
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" <"${stdin:-/dev/null}" >"$out" 2>"$log"
    read -r seconds kb <"$work/time.txt"
    if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$seconds; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$best $rss"
}

# measure_by_turns N BASE OUT LOG COMMAND... runs the shell command BASE (its output to
# /dev/null) and COMMAND by turns, N times each, BASE first, each as measure runs it; prints
# "best_seconds peak_kB base_best_seconds". The machine's speed drifts over minutes (a shared
# host): a ratio of two commands timed by turns is not tilted by a drift between them.
measure_by_turns() {
  local n=$1 base=$2 out=$3 log=$4 best="" rss=0 base_best="" seconds kb
  shift 4
  for _ in $(seq "$n"); do
    read -r seconds _ < <(measure 1 /dev/null /dev/null sh -c "$base")
    if [ -z "$base_best" ] || awk -v a="$seconds" -v b="$base_best" 'BEGIN { exit !(a < b) }'; then base_best=$seconds; fi
    read -r seconds kb < <(measure 1 "$out" "$log" "$@")
    if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$seconds; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$best $rss $base_best"
}
