// Assign: the one verb that turns a table of points (coordinates in a CRS, an optional event class
// and report time) into columns: a code per level, the grid worker, leaders, department, handling
// level and cell, deadline and due. gridtool assign and Python's GridSet.responsible only read,
// call this and write; the column names, the checks and their messages live here once.
//
// The input is a set of column views over the caller's memory (no copies), so a NumPy array or a
// chunk of a CSV file can be passed as it is; an Assigner answers any number of batches, from any
// number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libgrid/duty/deadline.h"
#include "libgrid/model/cell.h"
#include "libgrid/model/duty_table.h"

namespace libgrid {

class CellIndex;
class Error;
class GridSet;
class Transform;

// The columns assign adds, in this order; which of them are present depends on the grid set and
// the input (see Assigner::columns).
enum class AssignColumn {
  kLevelCode,        // one per level: the code of the point's cell at that level
  kGridWorker,       // name of the grid worker of the deepest cell on the path that has one
  kGridWorkerId,     //
  kGridWorkerPhone,  //
  kGridLeader,       // leaders of the deepest cell that has any, names joined with ";"
  kInfoWorkers,      // info workers of the deepest cell that has any
  kDepartment,       // from the duty rule of the event class
  kHandlingLevel,    //
  kHandlingCell,     // the code of the path's cell at the handling level
  kDeadline,         // the rule's deadline, a number
  kDeadlineUnit,     // "working_hours", ...
  kEscalation,       // the path finest first: "CODE LEADER > CODE > ..." (with a roster)
  kDue,              // when the event is due (needs a report time)
};

struct OutputColumn {
  std::string name;
  AssignColumn kind;
  int level = -1;  // for kLevelCode
};

// Where the points come from, for messages and for choosing the columns.
struct AssignOptions {
  // The points' CRS when it is not the grid set's ("" = the grid set's): anything PROJ knows,
  // or GCJ-02 / BD-09.
  std::string crs{};
  // The names of the input's own columns: an added level column whose name is taken becomes
  // "<level>_code", and any other added column whose name is taken is refused.
  std::vector<std::string> input_columns{};
  // For messages: the source (a file name, or "" for arrays), the coordinate columns' names, and
  // the row number of a batch's first element is given to assign().
  std::string source{};
  std::string x_name = "x";
  std::string y_name = "y";
  std::string class_name = "event_class";
  std::string time_name = "time";
  bool has_class = false;  // an event class column is given: adds the duty columns
  bool has_time = false;   // a report time column is given too: adds due
  // With an index of several boundary versions, a point with a time (PointColumns::time) is
  // looked up in the version in force then; a time missing, malformed or before the first
  // version is an error naming the row and the time column.
  // The working calendar that due times follow; none: the grid set's own.
  std::optional<WorkingCalendar> calendar{};
};

// A batch of points: views over the caller's columns. x and y have one value per row, NaN where
// the row has no coordinates (kept, not covered); event_class and time are empty or one per row
// ("" for none). Times already parsed (a NumPy datetime64 column) may come as time_minutes
// instead, kNoTime for none.
struct PointColumns {
  std::span<const double> x;
  std::span<const double> y;
  std::span<const std::string_view> event_class{};
  std::span<const std::string_view> time{};
  std::span<const LocalMinutes> time_minutes{};

  static constexpr LocalMinutes kNoTime = INT64_MIN;
};

// What a cell's path gives every point in it, whatever the event class; computed once per cell.
struct CellAnswer {
  std::vector<std::string> codes{};     // one per level, "" where the path stops
  std::vector<CellId> cell_at_level{};  // one per level, kNoCell where the path stops
  std::string grid_worker, grid_worker_id, grid_worker_phone;
  std::string grid_leader, info_workers, escalation;
};

// What an event class gives every point of that class.
struct RuleAnswer {
  bool has_rule = false;
  DutyRule rule{};
  int handling_level = -1;  // level index of rule.handling_level, -1 if not a level
  std::string deadline_text{};
};

// The answers for one batch, row by row.
struct AssignedPoints {
  std::vector<CellId> finest{};       // kNoCell where not covered
  std::vector<std::uint32_t> rule{};  // index into rules, one per row (with an event class)
  std::vector<RuleAnswer> rules{};    // the batch's distinct event classes
  std::vector<LocalMinutes> due{};    // one per row (with a time); kNoDue where none
  std::int64_t empty_coordinates = 0;

  static constexpr LocalMinutes kNoDue = INT64_MIN;
};

class Assigner {
 public:
  // `index` must be an index of `grids`; both must outlive the assigner. Throws Error when the
  // CRS is unknown (naming the option crs), an added column's name is taken, x and y are the
  // same column, or a column it reads (x, y, and the event class and time when given) shares
  // its name with another of input_columns.
  Assigner(const GridSet& grids, const CellIndex& index, AssignOptions options);
  ~Assigner();
  Assigner(const Assigner&) = delete;
  Assigner& operator=(const Assigner&) = delete;

  const std::vector<OutputColumn>& columns() const { return columns_; }
  const GridSet& grids() const { return *grids_; }
  const AssignOptions& options() const { return options_; }

  // Transforms, checks and looks up a batch; `first_row` numbers its first element in messages.
  // Throws Error(kInvalidInput) naming the source, row and column for an infinite coordinate, one
  // out of range (in a longitude/latitude CRS a longitude outside [-180, 180] or a latitude
  // outside [-90, 90]; in any CRS a magnitude above kMaxCoordinate), a point that cannot be
  // transformed or a time that is not one. An out-of-range coordinate that most of the batch's
  // points share and that another reading explains (longitude and latitude swapped, projected
  // coordinates) is refused as check_crs refuses it. Thread-safe.
  void assign(const PointColumns& points, std::int64_t first_row, AssignedPoints& out,
              int threads = 1) const;

  // No CRS gives coordinates beyond this (see assign.cpp).
  static constexpr double kMaxCoordinate = 1e9;

  // The refusal of points in the wrong CRS: when under half of `x`, `y` (as given, before any
  // transformation; rows without coordinates left out) fall inside a cell but most would with
  // the axes swapped, or in another likely CRS (longitude/latitude for a projected grid set and
  // the reverse, GCJ-02 for WGS84 and the reverse), throws Error(kInvalidInput) saying which.
  // Also throws when no point falls inside and the numbers cannot be in the grid set's CRS, or
  // when none falls inside, their extent (in the grid set's CRS) misses the grid set's and none
  // lies where their CRS is used (naming the option crs): a file that overlaps the grid set
  // only in part passes, and so do points merely elsewhere.
  // `covered` is how many of them a lookup found inside. Any number of points >= 1 works; a
  // sample of the first ten thousand is plenty.
  void check_crs(std::span<const double> x, std::span<const double> y, std::size_t covered) const;

  // The answer of a cell's path (finest may be kNoCell: an empty answer). Thread-safe; computed
  // once per cell.
  const CellAnswer& cell_answer(CellId finest) const;

  // The cell that handles row i of a batch: its path's cell at its rule's handling level;
  // kNoCell without a rule, or where the path stops above that level. Thread-safe.
  CellId handling_cell(const AssignedPoints& batch, std::size_t i) const;

  // The text of an added column for row i of a batch, "" for none (kDeadline as a number's
  // shortest text). `due_text` is scratch for kDue.
  std::string_view value(const OutputColumn& column, const AssignedPoints& batch, std::size_t i,
                         std::string& due_text) const;

 private:
  // The error for row i of a batch whose coordinate is infinite or out of range.
  Error coordinate_error(const PointColumns& points, std::int64_t first_row, std::size_t i) const;

  // A point's time for choosing its boundary version; Error naming the row otherwise.
  LocalMinutes point_time(std::string_view text, std::int64_t first_row, std::size_t i) const;

  const GridSet* grids_;
  const CellIndex* index_;
  AssignOptions options_;
  std::unique_ptr<Transform> transform_;
  bool geographic_ = false;  // the points' CRS is longitude/latitude
  // The coordinates' range: ±180 and ±90 in a longitude/latitude CRS, else ±kMaxCoordinate.
  double max_x_ = kMaxCoordinate, max_y_ = kMaxCoordinate;
  std::vector<OutputColumn> columns_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

// Which of `header`'s columns holds what: the column named `requested` when given (Error naming
// the source and the column when there is none), else the first whose name matches one of
// `guesses` ignoring case; -1 when none does and `required` is false (Error when it is true).
// A column found whose name another column of the header has too is refused (Error naming it).
int find_point_column(const std::vector<std::string>& header, const std::string& source,
                      const std::optional<std::string>& requested, std::string_view what,
                      std::span<const char* const> guesses, bool required);

// The guesses the verbs use.
inline constexpr const char* kXColumnGuesses[] = {"x", "lon", "lng", "longitude", "easting"};
inline constexpr const char* kYColumnGuesses[] = {"y", "lat", "latitude", "northing"};
inline constexpr const char* kClassColumnGuesses[] = {"event_class", "class"};
inline constexpr const char* kTimeColumnGuesses[] = {"reported_at", "time"};

}  // namespace libgrid
