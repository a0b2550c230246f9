# The .NET binding (bindings/dotnet): compiled with Mono's C# compiler (Debian mono-devel: mcs,
# mono, ikdasm), its self-checking test program and the README's example run by ctest with mono.
# Included from bindings/CMakeLists.txt; uses JAMSTAT_BINDINGS_LIBRARY (the libjamstat.so to
# load) and the target jamstat_bindings_library.
set(jamstat_dotnet_dir ${PROJECT_SOURCE_DIR}/bindings/dotnet)
set(jamstat_dotnet_out ${CMAKE_CURRENT_BINARY_DIR}/dotnet)

find_program(JAMSTAT_MCS mcs)
find_program(JAMSTAT_MONO mono)
find_program(JAMSTAT_IKDASM ikdasm)
find_package(Python3 COMPONENTS Interpreter QUIET)

# The declarations are generated from abi/jamstat-abi.json and checked in (so that `dotnet build`
# of Jamstat.csproj needs no Python); this test fails when they no longer match.
if(Python3_Interpreter_FOUND)
  add_test(NAME dotnet.interop_up_to_date
           COMMAND ${Python3_EXECUTABLE} ${jamstat_dotnet_dir}/generate_interop.py ${PROJECT_SOURCE_DIR}/abi/jamstat-abi.json
                   ${jamstat_dotnet_dir}/src/Interop.g.cs --check)
endif()

if(NOT JAMSTAT_MCS OR NOT JAMSTAT_MONO OR NOT Python3_Interpreter_FOUND)
  message(STATUS "jamstat: mcs, mono or python3 not found: the .NET binding's tests are disabled (Debian: mono-devel)")
  add_test(NAME dotnet.toolchain_missing COMMAND ${CMAKE_COMMAND} -E echo "install mono-devel to test the .NET binding")
  set_tests_properties(dotnet.toolchain_missing PROPERTIES DISABLED TRUE)
  return()
endif()

# Compile against Mono's .NET Framework 4.7.2 reference assemblies (mscorlib only for the
# library); dotnet.netstandard_api then checks that only .NET Standard 2.0 is used.
set(jamstat_mcs_flags -nologo -noconfig -unsafe -optimize+ -warnaserror+ -warn:4)
if(EXISTS /usr/lib/mono/4.7.2-api/mscorlib.dll)
  list(APPEND jamstat_mcs_flags -sdk:4.7.2-api)
endif()

file(GLOB jamstat_dotnet_sources CONFIGURE_DEPENDS ${jamstat_dotnet_dir}/src/*.cs)
file(GLOB jamstat_dotnet_test_sources CONFIGURE_DEPENDS ${jamstat_dotnet_dir}/tests/*.cs)

add_custom_command(
  OUTPUT ${jamstat_dotnet_out}/Jamstat.dll ${jamstat_dotnet_out}/Jamstat.xml
  COMMAND ${CMAKE_COMMAND} -E make_directory ${jamstat_dotnet_out}
  COMMAND ${JAMSTAT_MCS} ${jamstat_mcs_flags} -target:library -doc:${jamstat_dotnet_out}/Jamstat.xml
          -out:${jamstat_dotnet_out}/Jamstat.dll ${jamstat_dotnet_sources}
  DEPENDS ${jamstat_dotnet_sources}
  COMMENT "Building the .NET binding Jamstat.dll (mcs)"
  VERBATIM)

add_custom_command(
  OUTPUT ${jamstat_dotnet_out}/JamstatTests.exe
  COMMAND ${JAMSTAT_MCS} ${jamstat_mcs_flags} -target:exe -r:System.dll -r:System.Core.dll -r:${jamstat_dotnet_out}/Jamstat.dll
          -out:${jamstat_dotnet_out}/JamstatTests.exe ${jamstat_dotnet_test_sources}
  DEPENDS ${jamstat_dotnet_test_sources} ${jamstat_dotnet_out}/Jamstat.dll
  COMMENT "Building the .NET binding's tests (mcs)"
  VERBATIM)

# The README's example, taken from the README itself so that the test runs it as written.
add_custom_command(
  OUTPUT ${jamstat_dotnet_out}/Example.exe
  COMMAND ${Python3_EXECUTABLE} ${jamstat_dotnet_dir}/extract_example.py ${jamstat_dotnet_dir}/README.md ${jamstat_dotnet_out}/Example.cs
  COMMAND ${JAMSTAT_MCS} ${jamstat_mcs_flags} -target:exe -r:${jamstat_dotnet_out}/Jamstat.dll
          -out:${jamstat_dotnet_out}/Example.exe ${jamstat_dotnet_out}/Example.cs
  DEPENDS ${jamstat_dotnet_dir}/README.md ${jamstat_dotnet_dir}/extract_example.py ${jamstat_dotnet_out}/Jamstat.dll
  COMMENT "Building the .NET README example (mcs)"
  VERBATIM)

add_custom_target(jamstat_dotnet ALL
  DEPENDS ${jamstat_dotnet_out}/Jamstat.dll ${jamstat_dotnet_out}/JamstatTests.exe ${jamstat_dotnet_out}/Example.exe)
add_dependencies(jamstat_dotnet jamstat_bindings_library)

# One ctest per test class (group); dotnet.groups_registered fails when a class is missing here.
set(jamstat_dotnet_groups AggregationTests CrossProductsTests ErrorTests GapTests IntersectionalTests LibraryTests PersonFreeTests PersonnummerTests
    ProtectedTests SchemaTests StateTests TableTests)
foreach(group IN LISTS jamstat_dotnet_groups)
  add_test(NAME dotnet.${group}
           COMMAND ${CMAKE_COMMAND} -E env LANG=C LC_ALL=C
                   ${JAMSTAT_MONO} --debug ${jamstat_dotnet_out}/JamstatTests.exe --library ${JAMSTAT_BINDINGS_LIBRARY} ${group})
  set_tests_properties(dotnet.${group} PROPERTIES TIMEOUT 120 FAIL_REGULAR_EXPRESSION "FAILED ")
endforeach()
add_test(NAME dotnet.groups_registered
         COMMAND ${JAMSTAT_MONO} ${jamstat_dotnet_out}/JamstatTests.exe --check-groups ${jamstat_dotnet_groups})

# Loading by path from the environment (the first call a static Library member), and a clear
# error for a library that is not there.
add_test(NAME dotnet.library_from_environment
         COMMAND ${CMAKE_COMMAND} -E env JAMSTAT_LIBRARY=${JAMSTAT_BINDINGS_LIBRARY}
                 ${JAMSTAT_MONO} ${jamstat_dotnet_out}/JamstatTests.exe LibraryTests)
set_tests_properties(dotnet.library_from_environment PROPERTIES FAIL_REGULAR_EXPRESSION "FAILED ")
add_test(NAME dotnet.library_missing
         COMMAND ${CMAKE_COMMAND} -E env JAMSTAT_LIBRARY=${jamstat_dotnet_out}/no-such-libjamstat.so
                 ${JAMSTAT_MONO} ${jamstat_dotnet_out}/Example.exe)
set_tests_properties(dotnet.library_missing PROPERTIES
  PASS_REGULAR_EXPRESSION "DllNotFoundException: jamstat: cannot load [^\n]*no-such-libjamstat.so")

add_test(NAME dotnet.readme_example
         COMMAND ${CMAKE_COMMAND} -E env LANG=C LC_ALL=C JAMSTAT_LIBRARY=${JAMSTAT_BINDINGS_LIBRARY}
                 ${JAMSTAT_MONO} ${jamstat_dotnet_out}/Example.exe)
set_tests_properties(dotnet.readme_example PROPERTIES
  PASS_REGULAR_EXPRESSION "Kvinnor, Coachning: 1 persons, mean 12.0 h\nKvinnor, Praktik: 2 persons, mean 34.0 h\nMän, Praktik: 2 persons, mean 30.0 h\nEj tillämpligt, Coachning: 1 persons, mean 8.0 h\nKvinnor, Coachning: \\.\\. personer, in_work \\.\\. \\(primary\\)\n.*Totalt: 5 personer, in_work \\.\\. \\(published\\)\n"
  FAIL_REGULAR_EXPRESSION "Exception|Unhandled")

if(JAMSTAT_IKDASM)
  set(jamstat_netstandard_facade /usr/lib/mono/4.7.2-api/Facades/netstandard.dll)
  if(NOT EXISTS ${jamstat_netstandard_facade})
    set(jamstat_netstandard_facade /usr/lib/mono/4.5/Facades/netstandard.dll)
  endif()
  add_test(NAME dotnet.netstandard_api
           COMMAND ${Python3_EXECUTABLE} ${jamstat_dotnet_dir}/check_netstandard.py ${JAMSTAT_IKDASM}
                   ${jamstat_dotnet_out}/Jamstat.dll ${jamstat_netstandard_facade} ${jamstat_dotnet_dir}/netstandard2.0-members.txt)
endif()

# Every dotnet.* test carries the labels the other bindings' tests have (ctest -L dotnet).
get_property(jamstat_dotnet_all_tests DIRECTORY PROPERTY TESTS)
foreach(t IN LISTS jamstat_dotnet_all_tests)
  if(t MATCHES "^dotnet\\.")
    set_property(TEST ${t} APPEND PROPERTY LABELS bindings dotnet)
  endif()
endforeach()
