#include "libgrid/io/gzip_name.h"

#include "internal/text.h"

namespace libgrid {

bool is_gzip_name(std::string_view path) {
  return path.size() >= 3 && internal::iequals(path.substr(path.size() - 3), ".gz");
}

}  // namespace libgrid
