#!/usr/bin/env bash
# Installs the Debian 12 packages libgrid needs that are missing; does nothing when all are there.
set -euo pipefail

packages=(
  build-essential cmake git pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libgeos-dev libproj-dev proj-data proj-bin libgdal-dev gdal-bin libboost-dev
  libboost-graph-dev libxxhash-dev libcli11-dev libtbb-dev libisal-dev
  pybind11-dev python3-pybind11 python3-dev python3-numpy python3-pandas python3-pytest
  python3-shapely python3-geopandas python3-dask python3-distributed python3-xxhash xxhash
  python3-mypy
  libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils
)
# QGIS, for the Processing provider in qgis/ and its tests (qgis_process, PyQGIS)
packages+=(qgis python3-qgis)
# Benchmarks: S2 for the lookup peers; mawk, GNU time, rtree (GeoPandas's spatial index) and
# PostGIS for bench/assign.
if [ "${LIBGRID_WITH_BENCH:-0}" = 1 ]; then
  packages+=(libs2-dev mawk time gzip python3-rtree postgresql-15-postgis-3)
fi
# libFuzzer and its sanitizers, for scripts/fuzz.sh
packages+=(clang libclang-rt-14-dev)
# clang-tidy and run-clang-tidy, for scripts/clang-tidy.sh
packages+=(clang-tidy)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
