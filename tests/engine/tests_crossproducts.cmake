# The cross-product sums of a schema's cross-product set (exactness, paths, merges, state format).
add_executable(jamstat_cross_products_tests ${PROJECT_SOURCE_DIR}/tests/engine/cross_products_test.cpp)
target_link_libraries(jamstat_cross_products_tests PRIVATE jamstat_static GTest::gtest_main PkgConfig::XXHASH)
jamstat_set_warnings(jamstat_cross_products_tests)
gtest_discover_tests(jamstat_cross_products_tests DISCOVERY_TIMEOUT 60)
