"""QGIS plugin: libgrid's verbs in the Processing toolbox."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import LibgridPlugin

    return LibgridPlugin(iface)
