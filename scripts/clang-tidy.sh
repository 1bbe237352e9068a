#!/usr/bin/env bash
# clang-tidy, with the checks of .clang-tidy, over libgrid/src (its .cpp files and the private
# headers they include): scripts/clang-tidy.sh [--build DIR] [--skip REGEX] [--jobs N]
#   --build DIR   the build whose compile_commands.json is read (default: build/); configured,
#                 not built, when it has none yet
#   --skip REGEX  leaves out the sources, and the findings in files, whose path matches the
#                 extended REGEX (e.g. 'libgrid/src/render/')
#   --jobs N      clang-tidy processes at once (default 2)
# Prints each finding, then one "file:line:column: check" line per finding and a count.
# Exits 1 on any finding (or when clang-tidy itself fails), 0 when clean.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
skip=""
jobs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$(cd "$2" 2>/dev/null && pwd || echo "$2")"; shift 2 ;;
    --skip) skip="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) echo "clang-tidy.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

tidy="$(command -v clang-tidy-14 || command -v clang-tidy || true)"
runner="$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)"
if [ -z "$tidy" ]; then
  echo "clang-tidy.sh: clang-tidy is not installed (Debian: clang-tidy)" >&2
  exit 2
fi

# CMakeLists.txt turns on CMAKE_EXPORT_COMPILE_COMMANDS; configuring is enough, as libgrid
# generates no sources.
if [ ! -f "$build/compile_commands.json" ]; then
  cmake --no-warn-unused-cli -S "$root" -B "$build" -DPython_EXECUTABLE=/usr/bin/python3 \
    -DPYTHON_EXECUTABLE=/usr/bin/python3 >/dev/null
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
if [ -n "$runner" ]; then
  # run-clang-tidy picks sources by a Python regex: those under libgrid/src, less --skip's.
  sources="$root/libgrid/src/"
  [ -n "$skip" ] && sources="^(?!.*($skip)).*$sources"
  "$runner" -clang-tidy-binary "$tidy" -p "$build" -j "$jobs" -quiet "$sources" >"$log" 2>&1 ||
    status=$?
else
  /usr/bin/python3 - "$build/compile_commands.json" "$root/libgrid/src/" "$skip" <<'EOF' |
import json, re, sys
entries, under, skip = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for f in sorted({e["file"] for e in entries}):
    if f.startswith(under) and not (skip and re.search(skip, f)):
        print(f)
EOF
    xargs -r -P "$jobs" -n 1 "$tidy" -p "$build" -quiet >"$log" 2>&1 || status=$?
fi

# Diagnostics without colours, the commands run and clang-tidy's own counts.
sed 's/\x1b\[[0-9;]*m//g' "$log" |
  grep -Ev '^([^ ]*/)?(clang-tidy(-[0-9]+)? |[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$)' || true

# A finding in a header is reported by every source that includes it: each one counts once.
findings="$(sed 's/\x1b\[[0-9;]*m//g' "$log" |
  sed -nE 's/^(.+:[0-9]+:[0-9]+): (warning|error): .*\[([^]]+)\]$/\1: \3/p; s/^(.+:[0-9]+:[0-9]+): error: (.*)$/\1: error: \2/p' |
  sed "s|^$root/||" | sort -u)"
if [ -n "$skip" ] && [ -n "$findings" ]; then
  findings="$(grep -Ev -- "^[^:]*($skip)" <<<"$findings" || true)"
fi
count=0
[ -n "$findings" ] && count="$(wc -l <<<"$findings")"
echo
[ "$count" -gt 0 ] && echo "$findings"
echo "clang-tidy: $count findings"
if [ "$count" -gt 0 ]; then exit 1; fi
if [ "$status" -ne 0 ]; then
  echo "clang-tidy.sh: clang-tidy failed (exit $status)" >&2
  exit 1
fi
