#!/usr/bin/env bash
# The whole test suite: C++ (GoogleTest, CLI cases, a find_package consumer), Python (pytest
# against /usr/bin/python3), clang-tidy over libgrid/src, the C++ tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer, and a bounded run of every fuzzer
# (scripts/fuzz.sh, each target counted as one test). Ends with one line:
# "tests: N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" || exit 1
build="$root/build"
asan="$root/build-asan"
jobs="$(nproc)"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
failed_steps=()

step() {  # step NAME COMMAND...: runs, shows output, records failure
  local name="$1"; shift
  echo "== $name"
  "$@" 2>&1 | tee "$logs/$name.log"
  local status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || failed_steps+=("$name (exit $status)")
  return 0
}

# The release build (g++) and the fuzzers' build (clang++) treat a compiler warning as an error.
# The sanitizer build does not: under -fsanitize GCC 12 reports -Wmaybe-uninitialized inside
# libstdc++'s own <regex> and <functional>, which says nothing about libgrid's code.
export LIBGRID_WERROR=ON
step build "$root/scripts/build.sh" "$build" -DLIBGRID_BUILD_TESTS=ON -DLIBGRID_BUILD_PYTHON=ON \
  -DLIBGRID_WERROR=ON
step ctest ctest --test-dir "$build" -j "$jobs" --output-on-failure
step pytest env PYTHONPATH="$build/python" /usr/bin/python3 -m pytest "$root/tests/python" -q -rs
step consumer "$root/tests/consumer/run.sh" "$build" "$logs/consumer"
# clang-tidy's bugprone and performance checks (.clang-tidy) over libgrid/src: about 2 minutes.
step clang-tidy "$root/scripts/clang-tidy.sh" --build "$build"
step build-asan "$root/scripts/build.sh" "$asan" -DLIBGRID_SANITIZE=ON -DLIBGRID_BUILD_TESTS=ON \
  -DLIBGRID_BUILD_PYTHON=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIBGRID_WERROR=OFF
step ctest-asan env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$asan" -j "$jobs" --output-on-failure
# Twenty seconds per target: about two and a half minutes, plus the build.
step fuzz env LIBGRID_FUZZ_BUILD="$root/build-fuzz" "$root/scripts/fuzz.sh" 20

# Totals from ctest's and pytest's own summaries.
passed=0; failed=0; skipped=0
for log in "$logs/ctest.log" "$logs/ctest-asan.log"; do
  [ -f "$log" ] || continue
  total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
  bad=$(sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -1)
  skip=$(grep -c '(Skipped)\|Not Run' "$log" || true)
  passed=$((passed + ${total:-0} - ${bad:-0} - skip)); failed=$((failed + ${bad:-0})); skipped=$((skipped + skip))
done
if [ -f "$logs/pytest.log" ]; then
  line=$(grep -E '[0-9]+ (passed|failed)' "$logs/pytest.log" | tail -1)
  p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
  s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+'); e=$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${s:-0}))
fi
[ -f "$logs/consumer.log" ] && grep -q "consumer: ok" "$logs/consumer.log" && passed=$((passed + 1))
if [ -f "$logs/fuzz.log" ]; then
  line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' "$logs/fuzz.log" | tail -1)
  p=$(sed -n 's/^fuzz: \([0-9]*\) passed.*/\1/p' <<<"$line"); f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
fi

echo
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  failed=$((failed > 0 ? failed : 1))
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ ${#failed_steps[@]} -eq 0 ] && [ "$failed" -eq 0 ]
