# The Oaxaca-Blinder decomposition with numeric characteristics from the engine's cross-product sums.
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/analysis/oaxaca_cross_products.cpp
)
