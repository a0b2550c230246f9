# The Python binding's tests (included by bindings/CMakeLists.txt): pytest with Debian's
# /usr/bin/python3 (python3-pytest, python3-numpy, python3-pandas), one ctest per test file, named
# python.<file>, loading ${JAMSTAT_BINDINGS_LIBRARY} (a plain build when the tree is sanitized),
# plus python.abi_declarations_up_to_date: jamstat/_abi.py is what generate_abi.py makes from
# abi/jamstat-abi.json.
find_program(JAMSTAT_BINDINGS_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT JAMSTAT_BINDINGS_PYTHON3)
  find_program(JAMSTAT_BINDINGS_PYTHON3 NAMES python3 REQUIRED)
endif()
set(jamstat_python_dir ${CMAKE_CURRENT_LIST_DIR})

add_test(NAME python.abi_declarations_up_to_date
         COMMAND ${JAMSTAT_BINDINGS_PYTHON3} ${jamstat_python_dir}/generate_abi.py
                 --json ${PROJECT_SOURCE_DIR}/abi/jamstat-abi.json --check ${jamstat_python_dir}/jamstat/_abi.py)
set_tests_properties(python.abi_declarations_up_to_date PROPERTIES
                     PASS_REGULAR_EXPRESSION "python abi declarations: up to date" LABELS "bindings;python")

set(jamstat_python_env
    JAMSTAT_LIBRARY=${JAMSTAT_BINDINGS_LIBRARY}
    JAMSTAT_REQUIRE_ALL=1
    PYTHONDONTWRITEBYTECODE=1
    PYTHONPATH=${jamstat_python_dir})
if(TARGET jamstat_cli)
  list(APPEND jamstat_python_env JAMSTAT_CLI=$<TARGET_FILE:jamstat_cli>)
endif()

file(GLOB jamstat_python_tests CONFIGURE_DEPENDS ${jamstat_python_dir}/tests/test_*.py)
list(SORT jamstat_python_tests)
foreach(test_file IN LISTS jamstat_python_tests)
  get_filename_component(stem ${test_file} NAME_WE)
  string(REGEX REPLACE "^test_" "" stem ${stem})
  add_test(NAME python.${stem}
           COMMAND ${CMAKE_COMMAND} -E env ${jamstat_python_env}
                   ${JAMSTAT_BINDINGS_PYTHON3} -m pytest -q -p no:cacheprovider -rfEsx ${test_file}
           WORKING_DIRECTORY ${jamstat_python_dir}/tests)
  set_tests_properties(python.${stem} PROPERTIES TIMEOUT 300 LABELS "bindings;python"
                       FAIL_REGULAR_EXPRESSION "[0-9]+ (failed|error)")
endforeach()
