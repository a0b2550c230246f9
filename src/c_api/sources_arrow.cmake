# The Arrow C Data Interface entry point of the C ABI (jamstat_aggregator_add_arrow) and its
# private readers of Arrow columns.
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/c_api/arrow_api.cpp
  ${PROJECT_SOURCE_DIR}/src/c_api/arrow_column.cpp
  ${PROJECT_SOURCE_DIR}/src/c_api/arrow_format.cpp
  ${PROJECT_SOURCE_DIR}/src/c_api/arrow_readers.cpp)
