// The compiled half of the libgrid Python package: libgrid/__init__.py re-exports what is here
// and adds the pandas-facing helpers.
#include "bindings.h"

#ifndef LIBGRID_VERSION
#define LIBGRID_VERSION "unknown"
#endif

PYBIND11_MODULE(_libgrid, m) {
  namespace lp = libgrid::python;
  m.doc() = "libgrid's compiled core; import libgrid, not this module.";
  m.attr("__version__") = LIBGRID_VERSION;
  // Order matters: a type is registered before the functions whose signatures name it.
  lp::bind_errors(m);
  lp::bind_grid_set(m);
  lp::bind_index(m);
  lp::bind_grid_set_index(m);
  lp::bind_grid_set_load_index(m);
  lp::bind_io(m);
  lp::bind_responsibility(m);
  lp::bind_crs(m);
  lp::bind_validate(m);
  lp::bind_repair(m);
  lp::bind_partition(m);
  lp::bind_rebalance(m);
  lp::bind_zone(m);
  lp::bind_stats(m);
  lp::bind_frames(m);
  lp::bind_assign(m);
  lp::bind_copy(m);
  lp::bind_recycled_memory(m);
  lp::bind_pickle(m);
}
