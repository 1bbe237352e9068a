"""libgrid's verbs as Processing algorithms: import, validate, partition, rebalance, assign,
stats and area.

Each one reads its inputs from QGIS layers (points and lines are transformed into the grid set's
CRS), calls the libgrid Python module, and hands back layers: a grid set as a GeoPackage, one
layer per level, styled by libgrid (cells filled by households, outlines by level, labels by
name); tables of problems, assignments, evaluations and zone cells as Processing feature sinks.
libgrid's errors (ValueError, OSError) become QgsProcessingException with libgrid's message.
"""

import contextlib
import math

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

try:
    import libgrid
except ImportError:  # reported when an algorithm runs, so that the toolbox still lists them
    libgrid = None

GPKG_FILTER = "GeoPackage (*.gpkg)"


# ---- helpers ----


def _require_libgrid():
    if libgrid is None:
        raise QgsProcessingException(
            "the libgrid Python module is not importable by QGIS's Python: add the folder that "
            "holds it (the build's python folder) to PYTHONPATH"
        )
    return libgrid


@contextlib.contextmanager
def _libgrid_errors():
    """libgrid's errors (bad input, files) as Processing's, with libgrid's own message."""
    try:
        yield
    except (ValueError, OSError, TypeError) as e:
        raise QgsProcessingException(str(e)) from e


def _read_grid_set(path):
    with _libgrid_errors():
        return _require_libgrid().GridSet.read(path)


def _qgis_crs(grid_set):
    """The grid set's CRS for QGIS; GCJ-02 and BD-09 are longitude/latitude like WGS84."""
    text = grid_set.crs
    if text.upper() in ("GCJ-02", "BD-09") or not text:
        return QgsCoordinateReferenceSystem("EPSG:4326")
    return QgsCoordinateReferenceSystem(text)


def _request_in(grid_set, context):
    request = QgsFeatureRequest()
    request.setDestinationCrs(_qgis_crs(grid_set), context.transformContext())
    return request


def _plain(value):
    """A field value as Python: None for NULL, dates and times as libgrid's text."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toString("yyyy-MM-ddTHH:mm") if value.isValid() else None
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd") if value.isValid() else None
    return value


def _points(source, grid_set, context, fields=()):
    """x, y (the point of each feature, or its centroid) and the values of `fields`."""
    xs, ys, values = [], [], {name: [] for name in fields}
    for feature in source.getFeatures(_request_in(grid_set, context)):
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            xs.append(math.nan)
            ys.append(math.nan)
        else:
            point = geometry.asPoint() if geometry.type() == QgsWkbTypes.PointGeometry and \
                not geometry.isMultipart() else geometry.centroid().asPoint()
            xs.append(point.x())
            ys.append(point.y())
        for name in fields:
            values[name].append(_plain(feature[name]))
    return xs, ys, values


def _polylines(source, grid_set, context):
    lines = []
    if source is None:
        return lines
    for feature in source.getFeatures(_request_in(grid_set, context)):
        for part in feature.geometry().constParts():
            points = [(v.x(), v.y()) for v in part.vertices()]
            if len(points) >= 2:
                lines.append(points)
    return lines


def _level_layers(path, grid_set):
    return [f"{path}|layername={level}" for level in grid_set.levels]


def _write_grid_set(grid_set, path, context, outputs):
    with _libgrid_errors():
        grid_set.write(path)
    layers = _level_layers(path, grid_set)
    # Each level opens with the default style stored in the file (libgrid/io/layer_styles.h).
    for level, uri in zip(grid_set.levels, layers):
        context.addLayerToLoadOnCompletion(
            uri, QgsProcessingContext.LayerDetails(level, context.project(), "LAYERS"))
    outputs.update({"OUTPUT": path, "LAYERS": layers})
    return outputs


def _field_type(series):
    kind = series.dtype.kind
    if kind == "b":
        return QVariant.Bool
    if kind in "iu":
        return QVariant.LongLong
    if kind == "f":
        return QVariant.Double
    return QVariant.String


def _cell(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # NumPy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value if isinstance(value, (int, float, bool, str)) else str(value)


def _frame_sink(algorithm, parameters, context, frame, geometry_type, crs, geometries,
                extra_fields=None, extra_values=None):
    """Writes a DataFrame into the OUTPUT sink, one feature per row with `geometries[i]`."""
    fields = QgsFields()
    for f in extra_fields or []:
        fields.append(f)
    taken = {f.name().lower() for f in fields}
    columns = []
    for column in frame.columns:
        name = str(column) if str(column).lower() not in taken else f"libgrid_{column}"
        taken.add(name.lower())
        fields.append(QgsField(name, _field_type(frame[column])))
        columns.append(column)
    sink, dest = algorithm.parameterAsSink(parameters, "OUTPUT", context, fields, geometry_type,
                                           crs)
    if sink is None:
        raise QgsProcessingException(algorithm.invalidSinkError(parameters, "OUTPUT"))
    data = [frame[c].tolist() for c in columns]
    for i in range(len(frame)):
        feature = QgsFeature(fields)
        attributes = list(extra_values[i]) if extra_values else []
        attributes += [_cell(column[i]) for column in data]
        feature.setAttributes(attributes)
        if geometries is not None and geometries[i] is not None:
            feature.setGeometry(geometries[i])
        sink.addFeature(feature, QgsFeatureSink.FastInsert)
    return dest


def _band(algorithm, parameters, context):
    low = algorithm.parameterAsDouble(parameters, "TARGET_MIN", context)
    high = algorithm.parameterAsDouble(parameters, "TARGET_MAX", context)
    return None if low == 0 and high == 0 else (low, high)


def _codes(text):
    return [c.strip() for c in (text or "").split(",") if c.strip()]


class _LibgridAlgorithm(QgsProcessingAlgorithm):
    """Name, group and help from the class; subclasses add parameters and processAlgorithm."""

    NAME = ""
    TITLE = ""
    HELP = ""

    def name(self):
        return self.NAME

    def displayName(self):  # noqa: N802
        return self.TITLE

    def group(self):
        return "Grid sets"

    def groupId(self):  # noqa: N802
        return "gridsets"

    def shortHelpString(self):  # noqa: N802
        return self.HELP

    def createInstance(self):  # noqa: N802
        return type(self)()

    def add_grid_set_input(self):
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", "Grid set (GeoPackage)", extension="gpkg"))

    def add_grid_set_output(self):
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", "Grid set written", GPKG_FILTER))
        self.addOutput(QgsProcessingOutputMultipleLayers("LAYERS", "Level layers"))

    def add_units(self, optional):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "UNITS", "Units (address points or buildings)", [QgsProcessing.TypeVectorPoint],
            optional=optional))
        self.addParameter(QgsProcessingParameterField(
            "WEIGHT_FIELD", "Households per unit (1 each when not set)",
            parentLayerParameterName="UNITS", type=QgsProcessingParameterField.Numeric,
            optional=True))

    def add_barriers(self):
        self.addParameter(QgsProcessingParameterFeatureSource(
            "BARRIERS", "Barriers (roads, rivers, walls)", [QgsProcessing.TypeVectorLine],
            optional=True))

    def add_band(self, low_label, low, high):
        self.addParameter(QgsProcessingParameterNumber(
            "TARGET_MIN", low_label, QgsProcessingParameterNumber.Double, low, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "TARGET_MAX", "Most households per cell", QgsProcessingParameterNumber.Double, high,
            minValue=0.0))

    def add_parents(self, verb):
        self.addParameter(QgsProcessingParameterString(
            "PARENTS", f"Codes of the parents to {verb}, separated by commas (all when empty)",
            "", optional=True))

    def add_seed(self):
        self.addParameter(QgsProcessingParameterNumber(
            "SEED", "Random seed", QgsProcessingParameterNumber.Integer, 1))

    def drawing_inputs(self, parameters, context):
        """The grid set, its units and weights, and the barriers of partition and rebalance."""
        grid_set = _read_grid_set(self.parameterAsFile(parameters, "INPUT", context))
        units, weights = self.units(parameters, context, grid_set)
        barriers = _polylines(self.parameterAsSource(parameters, "BARRIERS", context), grid_set,
                              context)
        return grid_set, units, weights, barriers

    def units(self, parameters, context, grid_set):
        source = self.parameterAsSource(parameters, "UNITS", context)
        if source is None:
            return None, None
        weight = self.parameterAsString(parameters, "WEIGHT_FIELD", context)
        xs, ys, values = _points(source, grid_set, context, [weight] if weight else [])
        units = list(zip(xs, ys))
        weights = [float(v or 0) for v in values[weight]] if weight else None
        return units, weights


# ---- the algorithms ----


class ImportAlgorithm(_LibgridAlgorithm):
    NAME = "import"
    TITLE = "Import a grid set"
    HELP = ("Builds a grid set from one polygon layer per level, coarse to fine, as gridtool "
            "import does: cells linked to their parents by parent_code (else by location), "
            "with households, population and kind, a roster and a duty table. The GeoPackage "
            "written opens styled: cells filled by households, outlines by level, labels by name.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "LEVELS", "Level layers, coarse to fine", QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterString(
            "LEVEL_NAMES", "Level names, coarse to fine, separated by commas",
            "district,street,community,grid,microgrid"))
        self.addParameter(QgsProcessingParameterString("CODE_FIELD", "Code field", "code"))
        self.addParameter(QgsProcessingParameterCrs(
            "CRS", "CRS (overrides the layers' own)", optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "ROSTER", "Roster CSV", extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "DUTY", "Duty table CSV", extension="csv", optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "MAKE_VALID", "Repair invalid polygons (GEOS MakeValid)", False))
        self.add_grid_set_output()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        lg = _require_libgrid()
        layers = self.parameterAsLayerList(parameters, "LEVELS", context)
        names = _codes(self.parameterAsString(parameters, "LEVEL_NAMES", context))
        if len(names) != len(layers):
            raise QgsProcessingException(
                f"{len(layers)} level layers but {len(names)} level names")
        code_field = self.parameterAsString(parameters, "CODE_FIELD", context) or "code"
        levels = []
        for name, layer in zip(names, layers):
            path, _, options = layer.source().partition("|")
            layer_name = None
            for option in options.split("|"):
                if option.startswith("layername="):
                    layer_name = option[len("layername="):]
            levels.append((name, path, code_field, layer_name))
        crs = self.parameterAsCrs(parameters, "CRS", context)
        with _libgrid_errors():
            grid_set = lg.import_grid_set(
                levels, crs=crs.authid() if crs.isValid() else None,
                make_valid=self.parameterAsBoolean(parameters, "MAKE_VALID", context))
            roster = self.parameterAsFile(parameters, "ROSTER", context)
            if roster:
                grid_set.set_roster_csv(roster)
            duty = self.parameterAsFile(parameters, "DUTY", context)
            if duty:
                grid_set.set_duty_csv(duty)
        feedback.pushInfo(f"{len(grid_set)} cells in {len(grid_set.levels)} levels")
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        return _write_grid_set(grid_set, path, context, {})


class ValidateAlgorithm(_LibgridAlgorithm):
    NAME = "validate"
    TITLE = "Validate a grid set"
    HELP = ("Checks a grid set as gridtool validate does: gaps and overlaps, cells outside "
            "their parent, invalid geometry, cells in more parts than their parent, codes, "
            "missing parents and grid workers. Each problem is a feature, located where it "
            "has an area; a problem no thicker than the tolerance is a sliver.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_grid_set_input()
        self.addParameter(QgsProcessingParameterNumber(
            "TOLERANCE", "Sliver tolerance (CRS units)", QgsProcessingParameterNumber.Double, 0.0,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterString(
            "GRID_LEVEL", "Level whose cells need one grid worker", "grid"))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", "Problems", QgsProcessing.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputNumber("PROBLEMS", "Problems"))
        self.addOutput(QgsProcessingOutputNumber("REAL_PROBLEMS", "Problems that are not slivers"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        grid_set = _read_grid_set(self.parameterAsFile(parameters, "INPUT", context))
        with _libgrid_errors():
            frame = _require_libgrid().validate(
                grid_set, self.parameterAsDouble(parameters, "TOLERANCE", context),
                self.parameterAsString(parameters, "GRID_LEVEL", context) or "grid")
        wkts = frame["wkt"].tolist() if "wkt" in frame.columns else [None] * len(frame)
        geometries = [QgsGeometry.fromWkt(w) if w else None for w in wkts]
        table = frame.drop(columns=["wkt"]) if "wkt" in frame.columns else frame
        dest = _frame_sink(self, parameters, context, table, QgsWkbTypes.MultiPolygon,
                           _qgis_crs(grid_set), geometries)
        real = int((~table["sliver"].astype(bool)).sum()) if len(table) else 0
        feedback.pushInfo(f"{len(table)} problems, {real} of them real")
        return {"OUTPUT": dest, "PROBLEMS": len(table), "REAL_PROBLEMS": real}


class PartitionAlgorithm(_LibgridAlgorithm):
    NAME = "partition"
    TITLE = "Partition a level"
    HELP = ("Adds a finer level under the finest one, as gridtool partition does: with method "
            "units, each parent is cut along the barriers and grouped into contiguous, compact "
            "cells whose households lie in the target band (or into a number of cells of even "
            "weight); square, hex and beidou lay a lattice clipped to each parent. New cells "
            "nest exactly and are coded parent code + sequence.")
    METHODS = ["units", "square", "hex", "beidou"]

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_grid_set_input()
        self.addParameter(QgsProcessingParameterString(
            "PARENT_LEVEL", "Level to subdivide", "community"))
        self.addParameter(QgsProcessingParameterString("NEW_LEVEL", "New level's name", "grid"))
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", "Method", self.METHODS, defaultValue=0))
        self.add_units(optional=True)
        self.add_barriers()
        self.add_band("Fewest households per cell (0 and 0: no band)", 0.0, 0.0)
        self.addParameter(QgsProcessingParameterNumber(
            "COUNT", "Cells per parent instead of a band (0: use the band)",
            QgsProcessingParameterNumber.Integer, 0, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "SIZE", "Square side or hexagon width (square, hex)",
            QgsProcessingParameterNumber.Double, 0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            "BEIDOU_LEVEL", "Beidou grid level 1-10 (beidou)", QgsProcessingParameterNumber.Integer,
            0, minValue=0, maxValue=10))
        self.add_parents("subdivide")
        self.add_seed()
        self.add_grid_set_output()
        self.addOutput(QgsProcessingOutputNumber("CELLS", "New cells"))
        self.addOutput(QgsProcessingOutputNumber("CELLS_IN_BAND", "New cells in the band"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        lg = _require_libgrid()
        grid_set, units, weights, barriers = self.drawing_inputs(parameters, context)
        with _libgrid_errors():
            result = lg.partition(
                grid_set, self.parameterAsString(parameters, "PARENT_LEVEL", context),
                self.parameterAsString(parameters, "NEW_LEVEL", context),
                units=units, weights=weights, barriers=barriers,
                target=_band(self, parameters, context),
                count=self.parameterAsInt(parameters, "COUNT", context),
                seed=self.parameterAsInt(parameters, "SEED", context),
                method=self.METHODS[self.parameterAsEnum(parameters, "METHOD", context)],
                size=self.parameterAsDouble(parameters, "SIZE", context),
                beidou_level=self.parameterAsInt(parameters, "BEIDOU_LEVEL", context),
                parents=_codes(self.parameterAsString(parameters, "PARENTS", context)),
                baselines=False)
        report = result.report
        in_band = int(report["in_band"].astype(bool).sum()) if len(report) else 0
        feedback.pushInfo(f"{len(report)} new cells, {in_band} in the band")
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        return _write_grid_set(result.grid_set, path, context,
                               {"CELLS": len(report), "CELLS_IN_BAND": in_band})


class RebalanceAlgorithm(_LibgridAlgorithm):
    NAME = "rebalance"
    TITLE = "Rebalance a level"
    HELP = ("Adjusts the cells of a level to today's households (动态调整), as gridtool "
            "rebalance does: land moves between neighbouring cells of each parent until every "
            "cell's households lie in the band where possible, moving as few households and as "
            "little boundary as possible; locked cells do not change.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_grid_set_input()
        self.addParameter(QgsProcessingParameterString("LEVEL", "Level to adjust", "grid"))
        self.add_units(optional=False)
        self.add_barriers()
        self.add_band("Fewest households per cell", 300.0, 500.0)
        self.addParameter(QgsProcessingParameterString(
            "LOCKS", "Codes of cells that must not change, separated by commas", "",
            optional=True))
        self.add_parents("adjust")
        self.add_seed()
        self.add_grid_set_output()
        self.addOutput(QgsProcessingOutputNumber("MOVED", "Households whose cell code changed"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        lg = _require_libgrid()
        grid_set, units, weights, barriers = self.drawing_inputs(parameters, context)
        with _libgrid_errors():
            result = lg.rebalance(
                grid_set, self.parameterAsString(parameters, "LEVEL", context), units=units,
                weights=weights, barriers=barriers, target=_band(self, parameters, context),
                locks=_codes(self.parameterAsString(parameters, "LOCKS", context)),
                parents=_codes(self.parameterAsString(parameters, "PARENTS", context)),
                seed=self.parameterAsInt(parameters, "SEED", context))
        moved = float(result.totals.get("moved", 0))
        feedback.pushInfo(f"{moved:g} households moved; "
                          f"{result.totals.get('in_band_after')} cells in the band")
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        return _write_grid_set(result.grid_set, path, context, {"MOVED": moved})


class AssignAlgorithm(_LibgridAlgorithm):
    NAME = "assign"
    TITLE = "Assign events to cells and people"
    HELP = ("Who answers for an event at each point, as gridtool assign does: the codes on the "
            "point's path through the levels, the grid worker and leaders, and with an event "
            "class the department, deadline and, with a report time, when it is due.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_grid_set_input()
        self.addParameter(QgsProcessingParameterFeatureSource(
            "POINTS", "Events (points)", [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterField(
            "EVENT_CLASS_FIELD", "Event class field", parentLayerParameterName="POINTS",
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "REPORTED_AT_FIELD", "Report time field (YYYY-MM-DDTHH:MM)",
            parentLayerParameterName="POINTS", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", "Assigned events", QgsProcessing.TypeVectorPoint))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        grid_set = _read_grid_set(self.parameterAsFile(parameters, "INPUT", context))
        source = self.parameterAsSource(parameters, "POINTS", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "POINTS"))
        event_class = self.parameterAsString(parameters, "EVENT_CLASS_FIELD", context)
        reported_at = self.parameterAsString(parameters, "REPORTED_AT_FIELD", context)
        wanted = [f for f in (event_class, reported_at) if f]
        xs, ys, values = _points(source, grid_set, context, wanted)
        originals = [f.attributes() for f in source.getFeatures()]
        with _libgrid_errors():
            frame = grid_set.responsible(
                xs, ys,
                event_class=[None if v is None else str(v) for v in values[event_class]]
                if event_class else None,
                reported_at=values[reported_at] if reported_at else None)
        geometries = [None if math.isnan(x) else QgsGeometry.fromPointXY(QgsPointXY(x, y))
                      for x, y in zip(xs, ys)]
        dest = _frame_sink(self, parameters, context, frame, QgsWkbTypes.Point,
                           _qgis_crs(grid_set), geometries, list(source.fields()),
                           [[_plain(v) for v in a] for a in originals])
        return {"OUTPUT": dest}


class StatsAlgorithm(_LibgridAlgorithm):
    NAME = "stats"
    TITLE = "Evaluate event handling (考核)"
    HELP = ("Closure, on-time and rework rates per cell of a level, per worker or per "
            "department, as gridtool stats does. The events are points with the fields "
            "event_class, reported_at, and optionally event_id, closed_at and reopened. By a "
            "level, each row carries its cell's polygon.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_grid_set_input()
        self.addParameter(QgsProcessingParameterFeatureSource(
            "EVENTS", "Events (points)", [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterString(
            "BY", "By: a level's name, worker or department", "grid"))
        self.addParameter(QgsProcessingParameterString(
            "FROM", "Reported from (YYYY-MM-DD)", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "TO", "Reported to (YYYY-MM-DD)", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "AS_OF", "As of (YYYY-MM-DDTHH:MM)", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", "Evaluation", QgsProcessing.TypeVectorAnyGeometry))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        import pandas

        grid_set = _read_grid_set(self.parameterAsFile(parameters, "INPUT", context))
        source = self.parameterAsSource(parameters, "EVENTS", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "EVENTS"))
        names = [f.name() for f in source.fields()]
        wanted = [n for n in ("event_id", "event_class", "reported_at", "closed_at", "reopened")
                  if n in names]
        xs, ys, values = _points(source, grid_set, context, wanted)
        events = pandas.DataFrame({"x": xs, "y": ys, **values})
        if "event_class" in events.columns:
            events["event_class"] = [None if v is None else str(v) for v in events["event_class"]]
        by = self.parameterAsString(parameters, "BY", context) or "grid"
        text = {k: self.parameterAsString(parameters, k, context) or None
                for k in ("FROM", "TO", "AS_OF")}
        with _libgrid_errors():
            frame = _require_libgrid().stats(grid_set, events, by=by, from_date=text["FROM"],
                                             to_date=text["TO"], as_of=text["AS_OF"])
        by_level = by in grid_set.levels
        geometries = None
        geometry_type = QgsWkbTypes.NoGeometry
        if by_level:
            geometry_type = QgsWkbTypes.MultiPolygon
            geometries = [QgsGeometry.fromWkt(grid_set.wkt(grid_set.find(code)))
                          for code in frame["code"]]
        dest = _frame_sink(self, parameters, context, frame, geometry_type,
                           _qgis_crs(grid_set), geometries)
        return {"OUTPUT": dest}


class AreaAlgorithm(_LibgridAlgorithm):
    NAME = "area"
    TITLE = "Cells in an incident zone"
    HELP = ("Every cell of every level an incident zone touches, as gridtool area does, with "
            "its share of the zone, the households and people inside (counted from units where "
            "given, else estimated by area share) and who answers for it.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_grid_set_input()
        self.addParameter(QgsProcessingParameterFeatureSource(
            "ZONE", "Zone (the union of its polygons)", [QgsProcessing.TypeVectorPolygon]))
        self.add_units(optional=True)
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", "Zone cells", QgsProcessing.TypeVectorPolygon))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        grid_set = _read_grid_set(self.parameterAsFile(parameters, "INPUT", context))
        source = self.parameterAsSource(parameters, "ZONE", context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, "ZONE"))
        parts = [f.geometry() for f in source.getFeatures(_request_in(grid_set, context))]
        zone = QgsGeometry.unaryUnion(parts)
        if zone is None or zone.isEmpty():
            raise QgsProcessingException("the zone layer has no polygons")
        units, weights = self.units(parameters, context, grid_set)
        with _libgrid_errors():
            frame = grid_set.cells_in(zone.asWkt(), units=units, weights=weights)
        geometries = [QgsGeometry.fromWkt(g.wkt) for g in frame.geometry]
        table = frame.drop(columns=[frame.geometry.name])
        dest = _frame_sink(self, parameters, context, table, QgsWkbTypes.MultiPolygon,
                           _qgis_crs(grid_set), geometries)
        return {"OUTPUT": dest}


ALL = [ImportAlgorithm, ValidateAlgorithm, PartitionAlgorithm, RebalanceAlgorithm,
       AssignAlgorithm, StatsAlgorithm, AreaAlgorithm]
