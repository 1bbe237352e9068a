#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, AddressSanitizer, UndefinedBehaviorSanitizer)
# in a build folder of their own and runs each for a bounded time:
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]     (default: 20 seconds, every target)
#
# Seeds are made at run time from the files each target names on its "// seeds:" line (sample
# data, test fixtures, and generated-seeds/ that write_fuzz_seeds makes with this libgrid); CSVs
# are cut to their first 60 lines. Inputs under tests/fuzz/regressions/TARGET/ are replayed
# first. New inputs accumulate in BUILD/corpus/TARGET, findings land in BUILD/findings/, each
# run's output in BUILD/logs/TARGET.log. Ends with "fuzz: N passed, N failed"; exits non-zero
# when a target found anything. LIBGRID_FUZZ_BUILD overrides the folder (default build-fuzz).
set -uo pipefail
shopt -s nullglob
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${LIBGRID_FUZZ_BUILD:-$root/build-fuzz}"
seconds="${1:-20}"
shift || true

LIBGRID_BUILD_TYPE=Release "$root/scripts/build.sh" "$build" -DCMAKE_CXX_COMPILER=clang++ \
  -DLIBGRID_BUILD_FUZZERS=ON -DLIBGRID_BUILD_TESTS=OFF -DLIBGRID_BUILD_TOOLS=OFF \
  -DLIBGRID_BUILD_PYTHON=OFF -DLIBGRID_WERROR="${LIBGRID_WERROR:-OFF}" || exit 1
mkdir -p "$build/generated-seeds" "$build/logs" "$build/findings"
# Leaks inside third-party libraries are not findings (tests/fuzz/lsan.supp says which, and why).
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
"$build/tests/fuzz/write_fuzz_seeds" "$build/generated-seeds" || exit 1

# copy_seed FILE FOLDER: the file, or its first 60 lines for a CSV (gzip'd or not); GeoJSON over
# 64 KB is left out, as it would slow every run down.
copy_seed() {
  local file="$1" into="$2" name
  name="$(basename "$file")"
  case "$name" in
    *.csv.gz) zcat "$file" | head -n 60 | gzip -n >"$into/$name" ;;
    *.csv) head -n 60 "$file" >"$into/$name" ;;
    *.geojson) [ "$(stat -c %s "$file")" -gt 65536 ] || cp "$file" "$into/$name" ;;
    *) cp "$file" "$into/$name" ;;
  esac
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$build"/fuzz/*_fuzzer; do targets+=("$(basename "$f")"); done
fi
passed=0
failed=0
for name in "${targets[@]}"; do
  fuzzer="$build/fuzz/$name"
  source="$(find "$root/tests/fuzz" -name "$name.cpp" | head -n 1)"
  seeds="$build/seeds/$name"
  corpus="$build/corpus/$name"
  log="$build/logs/$name.log"
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus"
  read -r -a patterns <<<"$(sed -n 's#^// seeds: ##p' "$source")"
  for pattern in "${patterns[@]}"; do
    for file in "$root"/$pattern "$build"/$pattern; do
      [ -f "$file" ] && copy_seed "$file" "$seeds"
    done
  done
  : >"$log"
  status=0
  regressions=("$root/tests/fuzz/regressions/$name"/*)
  if [ ${#regressions[@]} -gt 0 ]; then
    "$fuzzer" "${regressions[@]}" >>"$log" 2>&1 || status=$?
  fi
  if [ "$status" -eq 0 ]; then
    "$fuzzer" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -print_final_stats=1 \
      -artifact_prefix="$build/findings/$name-" "$corpus" "$seeds" >>"$log" 2>&1 || status=$?
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "$name: ${runs:-0} runs in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs: ok"
  else
    failed=$((failed + 1))
    echo "$name: FAILED (exit $status) after ${runs:-?} runs; the end of $log:"
    tail -n 40 "$log"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
