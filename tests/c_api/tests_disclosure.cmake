# Disclosure control through the C ABI (jamstat_protected_tables_*), exercised from a program
# compiled as strict C11 against the shared library. Registered as tests/CMakeLists.txt's
# jamstat_add_c_test does (that function is defined after the layer test files are included).
add_executable(jamstat_c_disclosure_test ${PROJECT_SOURCE_DIR}/tests/c_api/disclosure_test.c)
set_target_properties(jamstat_c_disclosure_test PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(jamstat_c_disclosure_test PRIVATE -Wall -Wextra -Werror -pedantic)
target_include_directories(jamstat_c_disclosure_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/c_api)
target_link_libraries(jamstat_c_disclosure_test PRIVATE jamstat_shared m)
add_test(NAME c_api.disclosure COMMAND jamstat_c_disclosure_test)
set_tests_properties(c_api.disclosure PROPERTIES PASS_REGULAR_EXPRESSION "c_api: [0-9]+ passed, 0 failed")
