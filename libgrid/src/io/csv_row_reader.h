// One row of a CsvTable read field by field, trimmed, with errors that name the file, the
// 1-based data row and the field.
#pragma once

#include <cstdint>
#include <string>

#include "internal/text.h"
#include "libgrid/error.h"
#include "libgrid/io/csv_table.h"

namespace libgrid::internal {

class CsvRowReader {
 public:
  CsvRowReader(const CsvTable& table, std::size_t row) : table_(table), row_(row) {}

  std::string text(int column) const {
    return std::string(trim(table_.row(row_)[static_cast<std::size_t>(column)]));
  }
  std::string required(int column) const {
    std::string value = text(column);
    if (value.empty()) fail(column, "empty value");
    return value;
  }
  [[noreturn]] void fail(int column, const std::string& what) const {
    throw Error(ErrorKind::kInvalidInput,
                Location{table_.path(), "", static_cast<std::int64_t>(row_) + 1,
                         table_.header()[static_cast<std::size_t>(column)]},
                what);
  }

 private:
  const CsvTable& table_;
  std::size_t row_;
};

}  // namespace libgrid::internal
