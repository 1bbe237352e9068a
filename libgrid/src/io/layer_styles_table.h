// Writing the layer_styles table of a GeoPackage being written (libgrid/io/layer_styles.h says
// what the styles are). Each GeoPackage writer calls it once, just before closing the dataset.
#pragma once

#include <gdal_priv.h>

#include <string>
#include <vector>

#include "libgrid/io/layer_styles.h"

namespace libgrid::internal {

// Adds one row per style to the dataset's layer_styles table (created as QGIS creates it when
// absent). Error(kIo) naming `path` when GDAL cannot write it.
void write_layer_styles(GDALDataset& dataset, const std::vector<LayerStyle>& styles,
                        const std::string& path);

}  // namespace libgrid::internal
