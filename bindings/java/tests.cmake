# The Java binding (bindings/java): JNA direct mapping over libjamstat, declarations generated
# from abi/jamstat-abi.json (checked in, a test says when stale), compiled with javac, tested with JUnit 5 from ctest.
# Debian packages: default-jdk-headless (javac, jar, java), libjna-java (/usr/share/java/jna.jar),
# junit5 (/usr/share/java/junit-platform-console-standalone.jar), python3. No Maven, no network.
find_package(Java 11 COMPONENTS Development Runtime QUIET)
find_package(Python3 COMPONENTS Interpreter QUIET)
find_file(JAMSTAT_JNA_JAR NAMES jna.jar PATHS /usr/share/java DOC "JNA 5 (Debian libjna-java)")
find_file(JAMSTAT_JUNIT_CONSOLE_JAR NAMES junit-platform-console-standalone.jar PATHS /usr/share/java
          DOC "JUnit 5 console launcher (Debian junit5)")
if(NOT Java_JAVAC_EXECUTABLE OR NOT Java_JAVA_EXECUTABLE OR NOT Java_JAR_EXECUTABLE OR NOT Python3_Interpreter_FOUND
   OR NOT JAMSTAT_JNA_JAR OR NOT JAMSTAT_JUNIT_CONSOLE_JAR)
  message(WARNING "bindings/java: not built or tested: needs javac/jar/java 11+ (default-jdk-headless), python3, "
                  "jna.jar (libjna-java) and junit-platform-console-standalone.jar (junit5); found javac='${Java_JAVAC_EXECUTABLE}' "
                  "jna='${JAMSTAT_JNA_JAR}' junit='${JAMSTAT_JUNIT_CONSOLE_JAR}'")
  return()
endif()

set(jamstat_java_src ${CMAKE_CURRENT_LIST_DIR})
set(jamstat_java_out ${CMAKE_CURRENT_BINARY_DIR}/java)
set(jamstat_java_generated ${jamstat_java_src}/src/generated/java)
set(jamstat_java_jar ${jamstat_java_out}/jamstat.jar)
set(jamstat_java_test_jar ${jamstat_java_out}/jamstat-tests.jar)
file(GLOB_RECURSE jamstat_java_main_sources CONFIGURE_DEPENDS ${jamstat_java_src}/src/main/java/*.java
     ${jamstat_java_generated}/*.java)
file(GLOB_RECURSE jamstat_java_test_sources CONFIGURE_DEPENDS ${jamstat_java_src}/src/test/java/*.java)

# 1. The declarations are generated from the ABI description by generate_java.py and checked in
#    (src/generated/java: the binding compiles without Python, and a change of the ABI shows in the
#    diff); this test fails when they no longer match abi/jamstat-abi.json.
add_test(NAME java.declarations_up_to_date
         COMMAND ${Python3_EXECUTABLE} ${jamstat_java_src}/generate_java.py ${PROJECT_SOURCE_DIR}/abi/jamstat-abi.json
                 ${jamstat_java_generated} --check)
set_tests_properties(java.declarations_up_to_date PROPERTIES
                     PASS_REGULAR_EXPRESSION "java declarations: up to date" LABELS "bindings;java")

# 2. jamstat.jar: the binding (generated declarations + the hand-written API), Java 11 bytecode.
add_custom_command(
  OUTPUT ${jamstat_java_jar}
  COMMAND ${CMAKE_COMMAND} -DJAVAC=${Java_JAVAC_EXECUTABLE} -DJAR=${Java_JAR_EXECUTABLE}
          "-DSOURCE_ROOTS=${jamstat_java_src}/src/main/java|${jamstat_java_generated}"
          -DCLASSPATH=${JAMSTAT_JNA_JAR} -DCLASSES_DIR=${jamstat_java_out}/classes -DOUTPUT_JAR=${jamstat_java_jar}
          -P ${jamstat_java_src}/javac.cmake
  DEPENDS ${jamstat_java_main_sources} ${jamstat_java_src}/javac.cmake
  COMMENT "Compiling the Java binding (jamstat.jar)"
  VERBATIM)

# 3. The JUnit 5 tests.
add_custom_command(
  OUTPUT ${jamstat_java_test_jar}
  COMMAND ${CMAKE_COMMAND} -DJAVAC=${Java_JAVAC_EXECUTABLE} -DJAR=${Java_JAR_EXECUTABLE}
          "-DSOURCE_ROOTS=${jamstat_java_src}/src/test/java"
          "-DCLASSPATH=${jamstat_java_jar}:${JAMSTAT_JNA_JAR}:${JAMSTAT_JUNIT_CONSOLE_JAR}"
          -DCLASSES_DIR=${jamstat_java_out}/test-classes -DOUTPUT_JAR=${jamstat_java_test_jar} -DRELEASE=17
          -P ${jamstat_java_src}/javac.cmake
  DEPENDS ${jamstat_java_jar} ${jamstat_java_test_sources} ${jamstat_java_src}/javac.cmake
  COMMENT "Compiling the Java binding's tests"
  VERBATIM)

add_custom_target(jamstat_java ALL DEPENDS ${jamstat_java_jar} ${jamstat_java_test_jar})
add_dependencies(jamstat_java jamstat_bindings_library)

set(jamstat_java_classpath ${jamstat_java_jar}:${jamstat_java_test_jar}:${JAMSTAT_JNA_JAR})
set(jamstat_java_launcher ${Java_JAVA_EXECUTABLE} -Djamstat.library=${JAMSTAT_BINDINGS_LIBRARY}
    -jar ${JAMSTAT_JUNIT_CONSOLE_JAR} --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests
    --class-path ${jamstat_java_classpath})

# One ctest per test class (java.<Class>).
foreach(test_source IN LISTS jamstat_java_test_sources)
  get_filename_component(test_class ${test_source} NAME_WE)
  if(NOT test_class MATCHES "Test$" OR test_class STREQUAL "PlatformCharsetTest")
    continue()
  endif()
  add_test(NAME java.${test_class} COMMAND ${jamstat_java_launcher} --select-class se.jamstat.${test_class})
  set_tests_properties(java.${test_class} PROPERTIES TIMEOUT 120 LABELS "bindings;java")
endforeach()

# Text under a platform charset that is not UTF-8 (LANG=C: Java's default charset is then
# US-ASCII, and JNA's default encoding would store "Män" as "M?n").
add_test(NAME java.PlatformCharsetTest_LANG_C
         COMMAND ${CMAKE_COMMAND} -E env LANG=C LC_ALL=C
                 ${Java_JAVA_EXECUTABLE} -Dfile.encoding=ANSI_X3.4-1968 -Dsun.jnu.encoding=ANSI_X3.4-1968
                 -Dse.jamstat.test.asciiPlatform=true -Djamstat.library=${JAMSTAT_BINDINGS_LIBRARY}
                 -jar ${JAMSTAT_JUNIT_CONSOLE_JAR} --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests
                 --class-path ${jamstat_java_classpath} --select-class se.jamstat.PlatformCharsetTest)
set_tests_properties(java.PlatformCharsetTest_LANG_C PROPERTIES TIMEOUT 120 LABELS "bindings;java")

# The README's example, compiled and run exactly as written, its output compared with the README's.
add_test(NAME java.readme_example
         COMMAND ${Python3_EXECUTABLE} ${jamstat_java_src}/run_readme_example.py ${jamstat_java_src}/README.md
                 ${jamstat_java_out}/readme-example ${Java_JAVAC_EXECUTABLE} ${Java_JAVA_EXECUTABLE}
                 ${jamstat_java_jar}:${JAMSTAT_JNA_JAR} ${JAMSTAT_BINDINGS_LIBRARY})
set_tests_properties(java.readme_example PROPERTIES TIMEOUT 120 LABELS "bindings;java")
