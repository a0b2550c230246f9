# The engine's cross-product sums (regressions on numeric characteristics, issue 12 section 3).
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/engine/cross_product_sums.cpp
)
