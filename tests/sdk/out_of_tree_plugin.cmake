# Proves the installed SDK works for a third party: install the SDK component into a scratch prefix,
# configure an example plugin on its own with find_package(mcpd), build it with warnings as errors, and
# call its greet tool through the host: sdk/examples/hello (C++, the SDK) or sdk/examples/c_hello (C99, the
# ABI header and the C kit, in a project that enables no C++ at all).
#
# cmake -DMCPD_BUILD_DIR=... -DMCPD_EXAMPLE_DIR=... -DMCPD_WORK_DIR=... -DMCPD_HOST=.../bin/mcpd
#       [-DMCPD_PLUGIN=hello] [-DMCPD_GENERATOR=Ninja] [-DMCPD_CXX_COMPILER=c++] -P out_of_tree_plugin.cmake
cmake_minimum_required(VERSION 3.25)

foreach(required MCPD_BUILD_DIR MCPD_EXAMPLE_DIR MCPD_WORK_DIR MCPD_HOST)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "out_of_tree_plugin.cmake: pass -D${required}=...")
  endif()
endforeach()
if(NOT MCPD_PLUGIN)
  set(MCPD_PLUGIN hello)
endif()

set(prefix "${MCPD_WORK_DIR}/prefix")
set(build "${MCPD_WORK_DIR}/${MCPD_PLUGIN}-build")
file(REMOVE_RECURSE "${MCPD_WORK_DIR}")
file(MAKE_DIRECTORY "${MCPD_WORK_DIR}")

# Runs a command; on failure prints what ran and its output, then stops the test.
function(run_step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    string(REPLACE ";" " " command_line "${ARGN}")
    message(FATAL_ERROR "${name} failed (${status}):\n  ${command_line}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(step_stdout "${out}" PARENT_SCOPE)
endfunction()

# Only the SDK component: it holds every header and the CMake package, and needs nothing else built.
run_step("installing the sdk component" "${CMAKE_COMMAND}" --install "${MCPD_BUILD_DIR}" --prefix "${prefix}"
         --component sdk)
foreach(installed include/mcpd/plugin_api.h include/mcpd/plugin_kit.h include/mcpd/sdk.hpp)
  if(NOT EXISTS "${prefix}/${installed}")
    message(FATAL_ERROR "the sdk component did not install ${installed}")
  endif()
endforeach()
file(GLOB_RECURSE package_config "${prefix}/*/mcpdConfig.cmake")
if(NOT package_config)
  message(FATAL_ERROR "the sdk component did not install the CMake package (mcpdConfig.cmake)")
endif()

set(configure_args -S "${MCPD_EXAMPLE_DIR}" -B "${build}" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_BUILD_TYPE=RelWithDebInfo" "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror"
    "-DCMAKE_C_FLAGS=-std=c99 -Wall -Wextra -Wpedantic -Werror")
if(MCPD_GENERATOR)
  list(APPEND configure_args -G "${MCPD_GENERATOR}")
endif()
if(MCPD_CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${MCPD_CXX_COMPILER}")
endif()
run_step("configuring the example against the installed package" "${CMAKE_COMMAND}" ${configure_args})
run_step("building the example" "${CMAKE_COMMAND}" --build "${build}")

set(plugin "${build}/${MCPD_PLUGIN}.so")
if(NOT EXISTS "${plugin}")
  message(FATAL_ERROR "the standalone build did not produce ${plugin}")
endif()

if(NOT EXISTS "${MCPD_HOST}")
  message(FATAL_ERROR "the out-of-tree ${MCPD_PLUGIN}.so built fine, but the host ${MCPD_HOST} does not exist: "
                      "build the `mcpd` target, then rerun this test")
endif()
run_step("calling ${MCPD_PLUGIN}.greet through the host" "${MCPD_HOST}" call --plugin "${plugin}"
         ${MCPD_PLUGIN}.greet [=[{"name":"CI"}]=])
string(FIND "${step_stdout}" "Hello, CI!" found)
if(found EQUAL -1)
  message(FATAL_ERROR "mcpd call printed no \"Hello, CI!\":\n${step_stdout}")
endif()
message(STATUS "out-of-tree ${MCPD_PLUGIN} works: ${step_stdout}")
