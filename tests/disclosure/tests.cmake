# Tests of the disclosure-control layer.
add_executable(jamstat_disclosure_tests
  ${PROJECT_SOURCE_DIR}/tests/disclosure/suppression_test.cpp
)
target_link_libraries(jamstat_disclosure_tests PRIVATE jamstat_static GTest::gtest_main)
jamstat_set_warnings(jamstat_disclosure_tests)
gtest_discover_tests(jamstat_disclosure_tests DISCOVERY_TIMEOUT 60)

# Scale check of the full canonical cube (not a ctest: seconds at N = 1,000,000; for bench/).
add_executable(jamstat_disclosure_scale ${PROJECT_SOURCE_DIR}/tests/disclosure/scale_bench.cpp)
target_link_libraries(jamstat_disclosure_scale PRIVATE jamstat_static)
jamstat_set_warnings(jamstat_disclosure_scale)
