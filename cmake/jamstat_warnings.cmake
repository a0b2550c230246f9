# jamstat_set_warnings(target): the project's warning set; -Werror when JAMSTAT_WERROR is on.
function(jamstat_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion $<$<BOOL:${JAMSTAT_WERROR}>:-Werror>)
endfunction()
