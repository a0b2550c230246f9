# Compiles every .java file under the given source roots into a jar (run with cmake -P at build
# time, so that generated sources are found whatever the ABI description holds).
#   -DJAVAC=... -DJAR=... -DSOURCE_ROOTS=a|b -DCLASSPATH=x:y -DCLASSES_DIR=... -DOUTPUT_JAR=... [-DRELEASE=11]
cmake_minimum_required(VERSION 3.20)
string(REPLACE "|" ";" roots "${SOURCE_ROOTS}")
set(sources)
foreach(root IN LISTS roots)
  file(GLOB_RECURSE found ${root}/*.java)
  list(APPEND sources ${found})
endforeach()
list(SORT sources)
if(NOT sources)
  message(FATAL_ERROR "javac.cmake: no .java files under ${SOURCE_ROOTS}")
endif()
file(REMOVE_RECURSE ${CLASSES_DIR})
file(MAKE_DIRECTORY ${CLASSES_DIR})
string(REPLACE ";" "\n" argfile_text "${sources}")
set(argfile ${CLASSES_DIR}.sources)
file(WRITE ${argfile} "${argfile_text}\n")
if(NOT RELEASE)
  set(RELEASE 11)
endif()
execute_process(
  COMMAND ${JAVAC} --release ${RELEASE} -encoding UTF-8 -Xlint:all -Xlint:-options -Werror -g
          -classpath "${CLASSPATH}" -d ${CLASSES_DIR} @${argfile}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "javac failed (${rc})")
endif()
execute_process(COMMAND ${JAR} --create --file ${OUTPUT_JAR} -C ${CLASSES_DIR} . RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "jar failed (${rc})")
endif()
