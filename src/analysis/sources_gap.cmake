# The gap-analysis part of the analysis layer (issue 11): proportions, contingency tables, exact
# tests, stratified comparisons, resources, multiple testing, period changes and the gap report.
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/analysis/proportions.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/fisher_exact.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/contingency.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/stratified.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/resources.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/multiple_testing.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/period_change.cpp
)
list(APPEND JAMSTAT_LAYER_SOURCES
  ${PROJECT_SOURCE_DIR}/src/analysis/gap_input.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/gap_tables.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/gap_text.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/gap_report.cpp
  ${PROJECT_SOURCE_DIR}/src/analysis/gap_adapter.cpp
)
