# Tests of the disclosure-control layer.
add_executable(jamstat_disclosure_tests
  ${PROJECT_SOURCE_DIR}/tests/disclosure/suppression_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/disclosure/export_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/disclosure/primary_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/disclosure/cell_key_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/disclosure/state_tables_test.cpp
)
target_link_libraries(jamstat_disclosure_tests PRIVATE jamstat_static GTest::gtest_main)
jamstat_set_warnings(jamstat_disclosure_tests)
gtest_discover_tests(jamstat_disclosure_tests DISCOVERY_TIMEOUT 60)

# The audit's intervals recomputed by an independent LP (SciPy's linprog, Debian python3-scipy).
add_test(NAME disclosure.independent_lp_check
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/reference/disclosure/audit_linprog.py
                 $<TARGET_FILE:jamstat_disclosure_tests> ${CMAKE_CURRENT_BINARY_DIR}/disclosure_export)
set_tests_properties(disclosure.independent_lp_check PROPERTIES
                     PASS_REGULAR_EXPRESSION "independent LP check: [0-9]+ intervals agree in [0-9]+ files")

# Scale check of the full canonical cube (not a ctest: seconds at N = 1,000,000; for bench/).
add_executable(jamstat_disclosure_scale ${PROJECT_SOURCE_DIR}/tests/disclosure/scale_bench.cpp)
target_link_libraries(jamstat_disclosure_scale PRIVATE jamstat_static)
jamstat_set_warnings(jamstat_disclosure_scale)
