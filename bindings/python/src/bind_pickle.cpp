// Pickling Index and GridSet, so that Dask, multiprocessing and concurrent.futures can carry
// them to other processes and machines.
//
// What travels is as small as the object allows:
// - an Index loaded from a file: the file's path and checksum. Each process loads the file once
//   (a cache keyed by path and checksum) and refuses, with the core's message, a file that has
//   changed since: every worker of a cluster answers with the same index or none does;
// - a GridSet read from a file and unchanged since: the path and a digest of the file's bytes,
//   likewise read once per process and refused when the file has changed;
// - anything else by value: the index's or grid set's file format, as bytes.
#include <xxhash.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <utility>

#include "bindings.h"
#include "libgrid/error.h"
#include "libgrid/io/grid_set_file.h"

namespace libgrid::python {
namespace {

// What __reduce__ returns: the function that unpickles and its arguments.
using PickleReduction = TypedObject<"Tuple[Any, Tuple[Any, ...]]">;

using GridSetClass = py::class_<PyGridSet, std::shared_ptr<PyGridSet>>;
using CacheKey = std::pair<std::string, std::uint64_t>;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, Location{.file = path}, "cannot open for reading");
  std::string bytes{std::istreambuf_iterator<char>(in), {}};
  if (in.bad()) throw Error(ErrorKind::kIo, Location{.file = path}, "cannot read");
  return bytes;
}

void write_bytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error(ErrorKind::kIo, Location{.file = path}, "cannot write");
}

// A 64-bit digest of a file's bytes: XXH3-64, seed 0.
std::uint64_t digest_of(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

// A file name in the temporary folder nobody else uses, removed when this goes.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::string& suffix) {
    std::random_device seed;
    std::mt19937_64 random(
        seed() ^
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
    path_ = (std::filesystem::temp_directory_path() /
             ("libgrid-pickle-" + std::to_string(random()) + suffix))
                .string();
  }
  ~TemporaryFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What this process has loaded, kept for its lifetime: a Dask worker unpickles the same index
// for every task. Only touched with the GIL held; the loading itself runs without it (two
// threads racing may both load, and the first one stored is kept).
std::map<CacheKey, std::shared_ptr<const CellIndex>>& index_cache() {
  static auto* cache = new std::map<CacheKey, std::shared_ptr<const CellIndex>>();
  return *cache;
}
std::map<CacheKey, std::shared_ptr<PyGridSet>>& grid_set_cache() {
  static auto* cache = new std::map<CacheKey, std::shared_ptr<PyGridSet>>();
  return *cache;
}

PyIndex index_from_file(const std::string& path, std::uint64_t checksum, bool map_file,
                        std::shared_ptr<PyGridSet> grid_set) {
  const CacheKey key{path, checksum};
  std::shared_ptr<const CellIndex> index;
  if (const auto it = index_cache().find(key); it != index_cache().end()) index = it->second;
  const GridSet* grids = grid_set ? &grid_set->grids : nullptr;
  {
    py::gil_scoped_release release;
    CellIndex::LoadOptions options;
    options.map_file = map_file;
    options.expected_checksum = checksum;
    if (!index) {
      index = std::make_shared<const CellIndex>(grids != nullptr
                                                    ? CellIndex::load(path, *grids, options)
                                                    : CellIndex::load(path, options));
    } else if (grids != nullptr && index->grid_set_fingerprint() != grids->fingerprint()) {
      CellIndex::load(path, *grids, options);  // throws the core's message
    }
  }
  index_cache().emplace(key, index);
  return PyIndex{index, index->level_names(), index->crs(), path, map_file, std::move(grid_set)};
}

PyIndex index_from_bytes(const py::bytes& data, std::shared_ptr<PyGridSet> grid_set) {
  const std::string_view bytes = data;
  std::shared_ptr<const CellIndex> index;
  {
    py::gil_scoped_release release;
    const TemporaryFile file(".lgi");
    write_bytes(file.path(), bytes);
    index = std::make_shared<const CellIndex>(
        grid_set ? CellIndex::load(file.path(), grid_set->grids) : CellIndex::load(file.path()));
  }
  return PyIndex{index, index->level_names(), index->crs(), "", false, std::move(grid_set)};
}

PickleReduction reduce_index(const PyIndex& self) {
  // The Python functions in libgrid/__init__.py: pickle cannot name a compiled function.
  const py::module_ module = py::module_::import("libgrid");
  const py::object grid_set = self.grid_set ? py::cast(self.grid_set) : py::none();
  if (!self.path.empty()) {
    return py::make_tuple(
        module.attr("_index_from_file"),
        py::make_tuple(self.path, self.index->checksum(), self.map_file, grid_set));
  }
  std::string bytes;
  {
    py::gil_scoped_release release;
    const TemporaryFile file(".lgi");
    self.index->save(file.path());
    bytes = read_bytes(file.path());
  }
  return py::make_tuple(module.attr("_index_from_bytes"),
                        py::make_tuple(py::bytes(bytes), grid_set));
}

// Each unpickling gets a set of its own, copied from the one the cache keeps (nobody else holds
// that one): a task that replaces its roster changes no other task's.
std::shared_ptr<PyGridSet> grid_set_from_file(const std::string& path, std::uint64_t digest) {
  const CacheKey key{path, digest};
  if (const auto it = grid_set_cache().find(key); it != grid_set_cache().end()) {
    return it->second->copy();
  }
  auto grid_set = read_grid_set_file(path);
  if (grid_set->source->digest != digest) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = path},
                "the grid set file has changed since it was read: copy the same file to every "
                "machine, or start again with the new one");
  }
  grid_set_cache()[key] = grid_set;
  return grid_set->copy();
}

std::shared_ptr<PyGridSet> grid_set_from_bytes(const py::bytes& data) {
  const std::string_view bytes = data;
  GridSet grids;
  {
    py::gil_scoped_release release;
    const TemporaryFile file(".gpkg");
    write_bytes(file.path(), bytes);
    grids = read_grid_set(file.path());
  }
  return std::make_shared<PyGridSet>(std::move(grids));
}

PickleReduction reduce_grid_set(const PyGridSet& self) {
  // The Python functions in libgrid/__init__.py: pickle cannot name a compiled function.
  const py::module_ module = py::module_::import("libgrid");
  if (self.source) {
    return py::make_tuple(module.attr("_grid_set_from_file"),
                          py::make_tuple(self.source->path, self.source->digest));
  }
  std::string bytes;
  {
    py::gil_scoped_release release;
    const TemporaryFile file(".gpkg");
    write_grid_set(self.grids, file.path());
    bytes = read_bytes(file.path());
  }
  return py::make_tuple(module.attr("_grid_set_from_bytes"), py::make_tuple(py::bytes(bytes)));
}

}  // namespace

std::shared_ptr<PyGridSet> read_grid_set_file(const std::string& path) {
  const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  GridSet grids;
  std::uint64_t digest = 0;
  {
    py::gil_scoped_release release;
    grids = read_grid_set(path);
    // Read after the set: a file replaced in between gives a digest that no process matches.
    digest = digest_of(read_bytes(path));
  }
  auto grid_set = std::make_shared<PyGridSet>(std::move(grids));
  grid_set->source = PyGridSet::FileSource{absolute, digest};
  return grid_set;
}

void bind_pickle(py::module_& m) {
  using namespace pybind11::literals;
  auto index = py::reinterpret_borrow<py::class_<PyIndex>>(m.attr("Index"));
  index.def("__reduce__", &reduce_index,
            "Pickles a loaded index as its file's path and checksum (each process loads the "
            "file once and refuses a changed one), any other by value.");
  auto grid_set = py::reinterpret_borrow<GridSetClass>(m.attr("GridSet"));
  grid_set.def("__reduce__", &reduce_grid_set,
               "Pickles a grid set read from a file and unchanged since as the file's path and "
               "digest (each process reads it once and refuses a changed file), any other by "
               "value (its GeoPackage's bytes).");
  // copy.copy and copy.deepcopy: a set of its own, as unpickling gives, without the round trip.
  grid_set.def("__copy__", &PyGridSet::copy, "A new GridSet with this one's contents.");
  grid_set.def(
      "__deepcopy__", [](const PyGridSet& self, const py::dict& /*memo*/) { return self.copy(); },
      "memo"_a, "A new GridSet with this one's contents.");
  m.def("_index_from_file", &index_from_file, "path"_a, "checksum"_a, "map_file"_a,
        "grid_set"_a = py::none(), "Unpickles an Index sent by path.");
  m.def("_index_from_bytes", &index_from_bytes, "data"_a, "grid_set"_a = py::none(),
        "Unpickles an Index sent by value.");
  m.def("_grid_set_from_file", &grid_set_from_file, "path"_a, "digest"_a,
        "Unpickles a GridSet sent by path.");
  m.def("_grid_set_from_bytes", &grid_set_from_bytes, "data"_a,
        "Unpickles a GridSet sent by value.");
}

}  // namespace libgrid::python
