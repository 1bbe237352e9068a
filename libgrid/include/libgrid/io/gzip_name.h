// Which files are read and written through gzip: those whose name ends in ".gz", in any case
// (points.csv.gz, OUT.CSV.GZ), for inputs and outputs alike.
#pragma once

#include <string_view>

namespace libgrid {

bool is_gzip_name(std::string_view path);

}  // namespace libgrid
