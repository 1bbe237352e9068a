#include "libgrid/io/stream_names.h"

namespace libgrid {

std::string input_name(const std::string& path) { return path == "-" ? "standard input" : path; }

std::string output_name(const std::string& path) { return path == "-" ? "standard output" : path; }

}  // namespace libgrid
