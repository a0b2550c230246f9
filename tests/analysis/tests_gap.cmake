# Tests of the gap-analysis part of the analysis layer (issue 11). Reference values come from
# tests/reference/gap/ (R and Python scripts); the tests themselves need neither.
add_executable(jamstat_gap_tests
  ${PROJECT_SOURCE_DIR}/tests/analysis/proportions_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/fisher_exact_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/contingency_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/stratified_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/resources_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/multiple_testing_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/period_change_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/gap_report_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/gap_adapter_test.cpp
)
target_include_directories(jamstat_gap_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/analysis)
target_link_libraries(jamstat_gap_tests PRIVATE jamstat_static jamstat_synth GTest::gtest_main)
jamstat_set_warnings(jamstat_gap_tests)
gtest_discover_tests(jamstat_gap_tests DISCOVERY_TIMEOUT 60)
