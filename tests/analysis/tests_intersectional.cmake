# Tests of the intersectional analyses (MAIHDA) and the Oaxaca-Blinder decomposition.
add_executable(jamstat_intersectional_tests
  ${PROJECT_SOURCE_DIR}/tests/analysis/maihda_linear_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/maihda_logistic_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/intersectional_auc_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/theta_search_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/oaxaca_blinder_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/intersectional_rollup_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/analysis/intersectional_table_test.cpp
)
target_include_directories(jamstat_intersectional_tests PRIVATE ${PROJECT_SOURCE_DIR}/src/analysis)
target_link_libraries(jamstat_intersectional_tests PRIVATE jamstat_static jamstat_synth GTest::gtest_main)
jamstat_set_warnings(jamstat_intersectional_tests)
gtest_discover_tests(jamstat_intersectional_tests DISCOVERY_TIMEOUT 60)
