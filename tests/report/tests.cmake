# Tests of the report layer (issue 14): the builder, every writer, and the HTML report opened in
# headless Chromium.
find_package(nlohmann_json 3 REQUIRED)
add_executable(jamstat_report_tests
  ${PROJECT_SOURCE_DIR}/tests/report/number_format_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/report/build_report_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/report/csv_writer_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/report/json_writer_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/report/markdown_writer_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/report/html_writer_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/report/standard_report_test.cpp
)
target_include_directories(jamstat_report_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/report)
target_link_libraries(jamstat_report_tests PRIVATE jamstat_static jamstat_synth GTest::gtest_main nlohmann_json::nlohmann_json)
jamstat_set_warnings(jamstat_report_tests)
gtest_discover_tests(jamstat_report_tests DISCOVERY_TIMEOUT 60)

# The browser test: report.html (Swedish and English) rendered by headless Chromium (Debian
# `chromium`); screenshots and the rendered DOM are kept in test-artifacts/report/ of the build
# tree. Skipped (exit code 77) only when Chromium is not installed.
add_executable(jamstat_report_browser_test ${PROJECT_SOURCE_DIR}/tests/report/browser_test.cpp)
target_include_directories(jamstat_report_browser_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/report)
target_link_libraries(jamstat_report_browser_test PRIVATE jamstat_static jamstat_synth)
jamstat_set_warnings(jamstat_report_browser_test)
add_test(NAME report.browser
         COMMAND jamstat_report_browser_test ${PROJECT_BINARY_DIR}/test-artifacts/report)
set_tests_properties(report.browser PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
                                               PASS_REGULAR_EXPRESSION "report browser test: passed")
