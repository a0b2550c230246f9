# jamstat_set_warnings(target): the project's warning set; -Werror when JAMSTAT_WERROR is on.
#
# GCC 12 at -O3 reports -Wrestrict and -Wstringop-overflow false positives inside libstdc++ (GCC
# bugs 105329/105651: `"text" + std::string&&`'s inlined insert misread as an overlapping memcpy;
# stores through a loop over an initializer list of member pointers misread as past the object);
# they broke the bindings' plain Release build four times. Both stay on for every other compiler
# and optimisation level, where they are still reported.
function(jamstat_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion $<$<BOOL:${JAMSTAT_WERROR}>:-Werror>)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    set(release_cxx "$<AND:$<COMPILE_LANGUAGE:CXX>,$<CONFIG:Release>>")
    target_compile_options(${target} PRIVATE "$<${release_cxx}:-Wno-restrict>" "$<${release_cxx}:-Wno-stringop-overflow>")
  endif()
endfunction()
