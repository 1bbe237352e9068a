"""The libgrid Processing provider: one algorithm per gridtool verb."""

from qgis.core import QgsProcessingProvider

from . import algorithms


class LibgridProvider(QgsProcessingProvider):
    def id(self):
        return "libgrid"

    def name(self):
        return "libgrid"

    def longName(self):  # noqa: N802
        return "libgrid: community grid management"

    def loadAlgorithms(self):  # noqa: N802
        for algorithm in algorithms.ALL:
            self.addAlgorithm(algorithm())
