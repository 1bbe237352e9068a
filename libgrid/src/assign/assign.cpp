#include "libgrid/assign/assign.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "assign/point_crs_check.h"
#include "duty/weekly_due.h"
#include "internal/text.h"
#include "libgrid/crs/transform.h"
#include "libgrid/duty/responsibility.h"
#include "libgrid/error.h"
#include "libgrid/index/cell_index.h"
#include "libgrid/model/grid_set.h"

namespace libgrid {

namespace {

constexpr const char* kPeopleColumns[] = {"grid_worker", "grid_worker_id", "grid_worker_phone",
                                          "grid_leader", "info_workers"};
constexpr const char* kEscalationColumn = "escalation";
constexpr const char* kDutyColumns[] = {"department", "handling_level", "handling_cell", "deadline",
                                        "deadline_unit"};
constexpr const char* kDueColumn = "due";

bool is_fixed_column(std::string_view name) {
  return std::find(std::begin(kPeopleColumns), std::end(kPeopleColumns), name) !=
             std::end(kPeopleColumns) ||
         std::find(std::begin(kDutyColumns), std::end(kDutyColumns), name) !=
             std::end(kDutyColumns) ||
         name == kEscalationColumn || name == kDueColumn;
}

// parse_local_time for rows that share their dates: "YYYY-MM-DDTHH:MM" is read as the start of a
// date already seen (kept in a small table by day and month) plus its hour and minute; anything
// else, and a date not in the table, goes to parse_local_time.
class RecentDates {
 public:
  // False when `text` is not a time. (No std::optional: its return through the stack cost more
  // than the rest of this on every row.)
  bool parse(std::string_view text, LocalMinutes& t) {
    const auto parse_fully = [&] {
      const auto parsed = parse_local_time(text);
      if (parsed) t = *parsed;
      return parsed.has_value();
    };
    const auto digit = [&](std::size_t at) { return static_cast<unsigned>(text[at] - '0'); };
    if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') {
      return parse_fully();
    }
    const unsigned h1 = digit(11), h2 = digit(12), m1 = digit(14), m2 = digit(15);
    if (h1 > 9 || h2 > 9 || m1 > 9 || m2 > 9) return parse_fully();
    const unsigned hour = h1 * 10 + h2, minute = m1 * 10 + m2;
    if (hour > 23 || minute > 59) return parse_fully();
    const LocalMinutes of_day = hour * 60 + minute;
    // By day and month: a year of dates fills the table without two sharing a slot.
    Known& known =
        known_[(digit(9) + 10 * digit(8) + 32 * (digit(6) + 10 * digit(5))) % known_.size()];
    // "YYYY-MM-" and "DD" as numbers: two compares, not a call to memcmp.
    std::uint64_t year_month = 0;
    std::uint16_t day = 0;
    std::memcpy(&year_month, text.data(), sizeof year_month);
    std::memcpy(&day, text.data() + 8, sizeof day);
    if (known.filled && known.year_month == year_month && known.day == day) {
      t = known.start + of_day;
      return true;
    }
    if (!parse_fully()) return false;
    known = {true, year_month, day, t - of_day};
    return true;
  }

 private:
  struct Known {
    bool filled = false;
    std::uint64_t year_month = 0;  // the bytes of "YYYY-MM-"
    std::uint16_t day = 0;         // of "DD"
    LocalMinutes start = 0;        // of the date
  };
  std::array<Known, 512> known_{};
};

// Error naming `name` when more than one of `header`'s columns is called so: which of them is
// meant cannot be told.
void require_one_column_named(const std::vector<std::string>& header, const std::string& source,
                              const std::string& name) {
  std::vector<std::string> at;  // 1-based column numbers
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name) at.push_back(std::to_string(c + 1));
  }
  if (at.size() < 2) return;
  std::string list = at.front();
  for (std::size_t k = 1; k < at.size(); ++k) list += (k + 1 == at.size() ? " and " : ", ") + at[k];
  throw Error(ErrorKind::kInvalidInput, Location{.file = source, .field = name},
              std::to_string(at.size()) + " columns have this name (columns " + list +
                  ", counting from 1): rename all but one, so that it is clear which to read");
}

std::string number_text(double value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

}  // namespace

// Answers per cell, computed on first use by whichever thread gets there first.
struct Assigner::Cache {
  explicit Cache(const GridSet& grids)
      : resolver(grids), by_cell(grids.size() + 1), weekly_due(grids.duty_table().rules.size()) {}
  ~Cache() {
    for (auto& slot : by_cell) delete slot.load();
    for (auto& slot : weekly_due) delete slot.load();
  }

  // The week's due times of the duty table's rule `r` (a working unit), made on first use.
  const internal::WeeklyDue& weekly_due_of(std::size_t r, const DutyRule& rule) {
    std::atomic<internal::WeeklyDue*>& slot = weekly_due[r];
    if (internal::WeeklyDue* known = slot.load(std::memory_order_acquire)) return *known;
    auto made = std::make_unique<internal::WeeklyDue>(rule.deadline, rule.unit);
    internal::WeeklyDue* expected = nullptr;
    if (slot.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel)) {
      return *made.release();
    }
    return *expected;  // another thread was first
  }

  ResponsibilityResolver resolver;
  std::vector<std::atomic<CellAnswer*>> by_cell;  // [finest + 1]
  // [rule of the duty table]: for calendars without holidays or make-up days.
  std::vector<std::atomic<internal::WeeklyDue*>> weekly_due;
};

Assigner::Assigner(const GridSet& grids, const CellIndex& index, AssignOptions options)
    : grids_(&grids),
      index_(&index),
      options_(std::move(options)),
      cache_(std::make_unique<Cache>(grids)) {
  const std::string& source = options_.source;
  if (options_.x_name == options_.y_name) {
    throw Error(ErrorKind::kInvalidInput, Location{.file = source, .field = options_.x_name},
                "read as both the x and the y coordinate: name two different columns");
  }
  require_one_column_named(options_.input_columns, source, options_.x_name);
  require_one_column_named(options_.input_columns, source, options_.y_name);
  if (options_.has_class) {
    require_one_column_named(options_.input_columns, source, options_.class_name);
  }
  if (options_.has_time) {
    require_one_column_named(options_.input_columns, source, options_.time_name);
  }
  // The CRS is checked before any row is read: PROJ takes a name it does not know for the
  // nearest it does ("foo" for Amersfoort), and is_known_crs does not.
  if (!options_.crs.empty()) {
    if (!is_known_crs(options_.crs)) {
      throw Error(ErrorKind::kInvalidInput, Location{.option = "crs"},
                  "unknown CRS '" + options_.crs + "'");
    }
    try {
      transform_ = std::make_unique<Transform>(options_.crs, grids.crs());
    } catch (const Error& e) {
      throw Error(e.kind(), Location{.option = "crs"}, e.detail());
    }
    if (transform_->is_identity()) transform_.reset();
  }
  const std::string& declared = options_.crs.empty() ? grids.crs() : options_.crs;
  geographic_ = !declared.empty() && is_geographic_crs(declared);
  if (geographic_) {
    max_x_ = 180;
    max_y_ = 90;
  }
  const auto taken = [&](const std::string& name) {
    return std::find(options_.input_columns.begin(), options_.input_columns.end(), name) !=
           options_.input_columns.end();
  };
  const auto add = [&](std::string name, AssignColumn kind, int level = -1) {
    if (taken(name)) {
      throw Error(ErrorKind::kInvalidInput, Location{.file = options_.source, .field = name},
                  "the points already have a column of this name, which assign adds: rename "
                  "or drop it");
    }
    columns_.push_back({std::move(name), kind, level});
  };
  const auto& levels = grids.levels();
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const bool clash = taken(levels[l]) || is_fixed_column(levels[l]);
    add(clash ? levels[l] + "_code" : levels[l], AssignColumn::kLevelCode, static_cast<int>(l));
  }
  const bool with_people = !grids.roster().empty();
  if (with_people) {
    for (const AssignColumn kind :
         {AssignColumn::kGridWorker, AssignColumn::kGridWorkerId, AssignColumn::kGridWorkerPhone,
          AssignColumn::kGridLeader, AssignColumn::kInfoWorkers}) {
      add(kPeopleColumns[static_cast<int>(kind) - static_cast<int>(AssignColumn::kGridWorker)],
          kind);
    }
  }
  // The order is the one GridSet.responsible has always had: escalation after the duty.
  const bool with_duty = options_.has_class && !grids.duty_table().empty();
  if (with_duty) {
    for (const AssignColumn kind :
         {AssignColumn::kDepartment, AssignColumn::kHandlingLevel, AssignColumn::kHandlingCell,
          AssignColumn::kDeadline, AssignColumn::kDeadlineUnit}) {
      add(kDutyColumns[static_cast<int>(kind) - static_cast<int>(AssignColumn::kDepartment)], kind);
    }
  }
  if (with_people) add(kEscalationColumn, AssignColumn::kEscalation);
  if (with_duty && options_.has_time) add(kDueColumn, AssignColumn::kDue);
}

Assigner::~Assigner() = default;

void Assigner::assign(const PointColumns& points, std::int64_t first_row, AssignedPoints& out,
                      int threads) const {
  const std::size_t n = points.x.size();
  out.finest.resize(n);
  out.rule.clear();
  out.rules.clear();
  out.due.clear();
  out.empty_coordinates = 0;
  // The coordinates' range: NaN is "no coordinates"; anything else outside it, an infinity
  // included, is refused. One compare per value on the common path.
  const double max_x = max_x_, max_y = max_y_;
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = points.x[i], yi = points.y[i];
    if (std::fabs(xi) <= max_x && std::fabs(yi) <= max_y) continue;
    const bool x_empty = std::isnan(xi), y_empty = std::isnan(yi);
    out.empty_coordinates += x_empty || y_empty;
    if ((x_empty || std::fabs(xi) <= max_x) && (y_empty || std::fabs(yi) <= max_y)) continue;
    throw coordinate_error(points, first_row, i);
  }

  std::span<const double> x = points.x, y = points.y;
  std::vector<double> tx, ty;
  if (transform_) {
    tx.assign(x.begin(), x.end());
    ty.assign(y.begin(), y.end());
    transform_->apply(tx, ty);
    for (std::size_t i = 0; i < n; ++i) {
      const bool given = !std::isnan(points.x[i]) && !std::isnan(points.y[i]);
      if (given && !(std::isfinite(tx[i]) && std::isfinite(ty[i]))) {
        throw Error(ErrorKind::kInvalidInput,
                    Location{options_.source, "", first_row + static_cast<std::int64_t>(i),
                             options_.x_name},
                    "point cannot be transformed from " + options_.crs);
      }
    }
    x = tx;
    y = ty;
  }
  // With boundary versions, each point is looked up in the version in force at its own time.
  std::vector<LocalMinutes> times;
  const bool by_time = !index_->version_starts().empty() && !points.time.empty();
  if (by_time) {
    times.resize(n);
    for (std::size_t i = 0; i < n; ++i) times[i] = point_time(points.time[i], first_row, i);
    index_->lookup(x, y, times, out.finest, threads);
  } else {
    index_->lookup(x, y, out.finest, threads);
  }
  if (out.empty_coordinates > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(x[i]) || std::isnan(y[i])) out.finest[i] = kNoCell;
    }
  }

  const bool with_duty = options_.has_class && !grids_->duty_table().empty();
  if (!with_duty || points.event_class.empty()) return;
  out.rule.resize(n);
  // Event classes of up to 7 bytes are read as one word each (bytes, and the length in the top
  // byte) and found in a small open-addressing table of words: a multiply and, nearly always,
  // one compare a row. Longer ones go through a hash map.
  constexpr std::size_t kSlots = 256;                   // holds up to kSlots / 2 short classes
  constexpr std::uint64_t kNoWord = ~std::uint64_t{0};  // length 255: no short class
  struct Slot {
    std::uint64_t word = kNoWord;
    std::uint32_t rule = 0;
  };
  std::array<Slot, kSlots> slots{};
  std::size_t short_classes = 0;
  const auto word_of = [](std::string_view cls) {
    std::uint64_t word = std::uint64_t{cls.size()} << 56;
    for (std::size_t k = 0; k < cls.size(); ++k) {
      word |= std::uint64_t{static_cast<unsigned char>(cls[k])} << (8 * k);
    }
    return word;
  };
  // The slot holding `word`, or the empty one where it would go.
  const auto slot_for = [&](std::uint64_t word) {
    auto s = static_cast<std::size_t>((word * 0x9E3779B97F4A7C15) >> 56);  // Fibonacci hashing
    while (slots[s].word != word && slots[s].word != kNoWord) s = (s + 1) % kSlots;
    return s;
  };
  // The classes not in the table: long ones, and short ones past its room.
  std::unordered_map<std::string_view, std::uint32_t> other_classes;
  // The rule of a class not in the table: one of the others, or one met for the first time.
  const auto rule_index = [&](std::string_view cls) -> std::uint32_t {
    const bool to_table = cls.size() <= 7 && short_classes < kSlots / 2;
    if (!to_table) {
      if (const auto it = other_classes.find(cls); it != other_classes.end()) return it->second;
    }
    RuleAnswer answer;
    if (const DutyRule* rule = cls.empty() ? nullptr : grids_->duty_table().find(cls)) {
      answer.has_rule = true;
      answer.rule = *rule;
      answer.handling_level = grids_->level_index(rule->handling_level);
      answer.deadline_text = number_text(rule->deadline);
    }
    const auto k = static_cast<std::uint32_t>(out.rules.size());
    out.rules.push_back(std::move(answer));
    if (to_table) {
      const std::uint64_t word = word_of(cls);
      slots[slot_for(word)] = {word, k};
      ++short_classes;
    } else {
      other_classes.emplace(cls, k);
    }
    return k;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view cls = points.event_class[i];
    if (cls.size() <= 7) {
      const Slot& slot = slots[slot_for(word_of(cls))];
      if (slot.word != kNoWord) {
        out.rule[i] = slot.rule;
        continue;
      }
    }
    out.rule[i] = rule_index(cls);
  }
  if (!options_.has_time || (points.time.empty() && points.time_minutes.empty())) return;
  out.due.assign(n, AssignedPoints::kNoDue);
  const WorkingCalendar& calendar = options_.calendar ? *options_.calendar : grids_->calendar();
  // On a calendar of weekdays only, a working deadline is a look-up in its week's table (made
  // once per rule, in about a millisecond: not for a handful of points).
  constexpr std::size_t kWeeklyFromRows = 2048;
  std::vector<const internal::WeeklyDue*> weekly(out.rules.size(), nullptr);
  if (calendar.empty() && n >= kWeeklyFromRows) {
    const auto& rules = grids_->duty_table().rules;
    for (std::size_t k = 0; k < out.rules.size(); ++k) {
      const RuleAnswer& r = out.rules[k];
      if (!r.has_rule ||
          (r.rule.unit != DeadlineUnit::kWorkingHours && r.rule.unit != DeadlineUnit::kWorkingDays))
        continue;
      const DutyRule* rule = grids_->duty_table().find(r.rule.event_class);
      weekly[k] = &cache_->weekly_due_of(static_cast<std::size_t>(rule - rules.data()), *rule);
    }
  }
  // Row i, reported at `reported`: due by its rule, if it has one.
  const auto set_due = [&](std::size_t i, LocalMinutes reported) {
    const std::uint32_t k = out.rule[i];
    const RuleAnswer& r = out.rules[k];
    if (!r.has_rule) return;
    out.due[i] = weekly[k] ? weekly[k]->due(reported)
                           : due_time(reported, r.rule.deadline, r.rule.unit, calendar);
  };
  if (points.time.empty()) {
    for (std::size_t i = 0; i < n; ++i) {
      if (points.time_minutes[i] != PointColumns::kNoTime) set_due(i, points.time_minutes[i]);
    }
    return;
  }
  RecentDates dates;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view when = internal::trim(points.time[i]);
    if (when.empty()) continue;
    LocalMinutes reported = 0;
    if (!dates.parse(when, reported)) {
      throw Error(ErrorKind::kInvalidInput,
                  Location{options_.source, "", first_row + static_cast<std::int64_t>(i),
                           options_.time_name},
                  "not a time 'YYYY-MM-DDTHH:MM': '" + std::string(when) + "'");
    }
    set_due(i, reported);
  }
}

LocalMinutes Assigner::point_time(std::string_view text, std::int64_t first_row,
                                  std::size_t i) const {
  const Location where{options_.source, "", first_row + static_cast<std::int64_t>(i),
                       options_.time_name};
  const std::string_view when = internal::trim(text);
  const auto t = parse_local_time(when);
  if (!t) {
    throw Error(ErrorKind::kInvalidInput, where,
                when.empty() ? std::string("no time, which a grid set of boundary versions needs")
                             : "not a time 'YYYY-MM-DDTHH:MM': '" + std::string(when) + "'");
  }
  if (index_->version_at(*t) < 0) {
    const std::string first = format_local_time(index_->version_starts().front());
    throw Error(ErrorKind::kInvalidInput, where,
                "time " + std::string(when) + " is before the first boundary version (" +
                    first.substr(0, first.find('T')) + ")");
  }
  return *t;
}

// The bound on coordinates in any CRS: the Earth's circumference is 4.0e7 m (1.3e8 US survey
// feet), and the largest false eastings (a Gauss-Kruger zone number in front) stay below 5e7, so
// no CRS of the Earth in metres or feet gives 1e9. Degrees have their own, tighter bounds.
Error Assigner::coordinate_error(const PointColumns& points, std::int64_t first_row,
                                 std::size_t i) const {
  const double x = points.x[i], y = points.y[i];
  const bool x_bad = !std::isnan(x) && !(std::fabs(x) <= max_x_);
  const double value = x_bad ? x : y;
  const Location where{options_.source, "", first_row + static_cast<std::int64_t>(i),
                       x_bad ? options_.x_name : options_.y_name};
  if (std::isinf(value)) {
    return Error(ErrorKind::kInvalidInput, where,
                 "not a finite number: '" + number_text(value) + "'");
  }
  if (!geographic_) {
    return Error(ErrorKind::kInvalidInput, where,
                 number_text(value) + " is beyond what any CRS gives (a magnitude over " +
                     number_text(kMaxCoordinate) + ")");
  }
  // Points out of a longitude/latitude CRS's range are as often points in another CRS, or with
  // latitude first: when most of the batch's points are out of range and would be inside in
  // such a reading, that is said.
  constexpr std::size_t kSample = 10000;
  std::vector<double> sx, sy;
  for (std::size_t j = 0; j < points.x.size() && sx.size() < kSample; ++j) {
    if (std::isnan(points.x[j]) || std::isnan(points.y[j])) continue;
    sx.push_back(points.x[j]);
    sy.push_back(points.y[j]);
  }
  std::vector<double> tx = sx, ty = sy;
  std::size_t out_of_range = 0;
  for (std::size_t j = 0; j < tx.size(); ++j) {
    if (std::fabs(tx[j]) <= 180 && std::fabs(ty[j]) <= 90) continue;
    tx[j] = ty[j] = std::nan("");
    ++out_of_range;
  }
  // A stray bad row among good ones is that row's fault.
  if (2 * out_of_range > tx.size()) {
    if (transform_) transform_->apply(tx, ty);
    std::vector<CellId> cells(tx.size());
    index_->lookup(tx, ty, cells, 1);
    std::size_t covered = 0;
    for (std::size_t j = 0; j < tx.size(); ++j) {
      covered += std::isfinite(tx[j]) && std::isfinite(ty[j]) && cells[j] != kNoCell;
    }
    if (auto error = internal::other_reading_error(*grids_, *index_, options_, transform_.get(), sx,
                                                   sy, covered)) {
      return *error;
    }
  }
  const std::string crs =
      options_.crs.empty() ? std::string("the grid set's") : "'" + options_.crs + "'";
  std::string detail = std::string(x_bad ? "longitude " : "latitude ") + number_text(value) +
                       " is outside " + (x_bad ? "[-180, 180]" : "[-90, 90]") +
                       ": the points' CRS (" + crs + ") is longitude/latitude";
  if (std::fabs(x) <= 90 && std::fabs(y) <= 180) {
    detail += "; are columns '" + options_.x_name + "' and '" + options_.y_name +
              "' the wrong way round?";
  }
  return Error(ErrorKind::kInvalidInput, where, detail);
}

void Assigner::check_crs(std::span<const double> x, std::span<const double> y,
                         std::size_t covered) const {
  internal::check_point_crs(*grids_, *index_, options_, transform_.get(), x, y, covered);
}

const CellAnswer& Assigner::cell_answer(CellId finest) const {
  std::atomic<CellAnswer*>& slot = cache_->by_cell[static_cast<std::size_t>(finest) + 1];
  if (CellAnswer* known = slot.load(std::memory_order_acquire)) return *known;
  auto answer = std::make_unique<CellAnswer>();
  const std::size_t levels = grids_->levels().size();
  answer->codes.resize(levels);
  answer->cell_at_level.assign(levels, kNoCell);
  if (finest != kNoCell) {
    const Responsibility r = cache_->resolver.resolve(finest, "");
    for (const CellId id : r.path) {
      const auto level = static_cast<std::size_t>(grids_->cell(id).level);
      answer->codes[level] = grids_->cell(id).code;
      answer->cell_at_level[level] = id;
    }
    if (r.grid_worker_cell != kNoCell) {
      answer->grid_worker = r.grid_worker.name;
      answer->grid_worker_id = r.grid_worker.id;
      answer->grid_worker_phone = r.grid_worker.phone;
    }
    answer->grid_leader = names_text(r.grid_leaders);
    answer->info_workers = names_text(r.info_workers);
    answer->escalation = escalation_text(*grids_, r);
  }
  CellAnswer* expected = nullptr;
  if (slot.compare_exchange_strong(expected, answer.get(), std::memory_order_acq_rel)) {
    return *answer.release();
  }
  return *expected;  // another thread was first
}

CellId Assigner::handling_cell(const AssignedPoints& batch, std::size_t i) const {
  if (batch.rule.empty()) return kNoCell;
  const RuleAnswer& rule = batch.rules[batch.rule[i]];
  if (!rule.has_rule || rule.handling_level < 0) return kNoCell;
  return cell_answer(batch.finest[i]).cell_at_level[static_cast<std::size_t>(rule.handling_level)];
}

std::string_view Assigner::value(const OutputColumn& column, const AssignedPoints& batch,
                                 std::size_t i, std::string& due_text) const {
  const CellAnswer& cell = cell_answer(batch.finest[i]);
  static const RuleAnswer kNoRule;
  const RuleAnswer& rule = batch.rule.empty() ? kNoRule : batch.rules[batch.rule[i]];
  switch (column.kind) {
    case AssignColumn::kLevelCode:
      return cell.codes[static_cast<std::size_t>(column.level)];
    case AssignColumn::kGridWorker:
      return cell.grid_worker;
    case AssignColumn::kGridWorkerId:
      return cell.grid_worker_id;
    case AssignColumn::kGridWorkerPhone:
      return cell.grid_worker_phone;
    case AssignColumn::kGridLeader:
      return cell.grid_leader;
    case AssignColumn::kInfoWorkers:
      return cell.info_workers;
    case AssignColumn::kEscalation:
      return cell.escalation;
    case AssignColumn::kDepartment:
      return rule.has_rule ? std::string_view(rule.rule.department) : "";
    case AssignColumn::kHandlingLevel:
      return rule.has_rule ? std::string_view(rule.rule.handling_level) : "";
    case AssignColumn::kHandlingCell:
      if (const CellId id = handling_cell(batch, i); id != kNoCell) return grids_->cell(id).code;
      return "";
    case AssignColumn::kDeadline:
      return rule.deadline_text;
    case AssignColumn::kDeadlineUnit:
      return rule.has_rule ? to_string(rule.rule.unit) : std::string_view();
    case AssignColumn::kDue:
      if (batch.due.empty() || batch.due[i] == AssignedPoints::kNoDue) return "";
      due_text = format_local_time(batch.due[i]);
      return due_text;
  }
  return "";
}

int find_point_column(const std::vector<std::string>& header, const std::string& source,
                      const std::optional<std::string>& requested, std::string_view what,
                      std::span<const char* const> guesses, bool required) {
  if (requested) {
    const auto it = std::find(header.begin(), header.end(), *requested);
    if (it == header.end()) {
      throw Error(ErrorKind::kInvalidInput, Location{.file = source, .field = *requested},
                  "no such column");
    }
    require_one_column_named(header, source, *requested);
    return static_cast<int>(it - header.begin());
  }
  for (const char* guess : guesses) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (internal::iequals(header[c], guess)) {
        require_one_column_named(header, source, header[c]);
        return static_cast<int>(c);
      }
    }
  }
  if (!required) return -1;
  std::string tried;
  for (const char* guess : guesses) tried += (tried.empty() ? "" : ", ") + std::string(guess);
  throw Error(ErrorKind::kInvalidInput, Location{.file = source},
              "no " + std::string(what) + " column (none is called " + tried + "): name it");
}

}  // namespace libgrid
