# mcpd_add_plugin(<name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>] [LINK_LIBRARIES <lib>...])
#
# Builds an mcpd plugin: a MODULE library named exactly <name>.so (no "lib" prefix) that links mcpd::sdk.
# Sources in C (all .c) make a plugin against the C ABI alone (mcpd::plugin_api, <mcpd/plugin_kit.h>).
#   - hidden visibility, so the only exported symbol is the entry point MCPD_PLUGIN defines and two
#     plugins never resolve each other's inline functions;
#   - -fno-gnu-unique (GCC), because STB_GNU_UNIQUE symbols make dlclose() a silent no-op and a plugin
#     must really unload when the host swaps it for a new version;
#   - -Wl,--no-undefined, so a missing symbol fails the link instead of the host's dlopen();
#   - a linker version script that exports mcpd_plugin_negotiate only: headers such as Boost.System mark
#     some classes visible on purpose, and those would otherwise leak into the dynamic symbol table.
#   - debug information moved to <name>.so.debug beside the plugin (found by gdb through a debug link):
#     the host copies every plugin into its staging directory and hashes it before loading, and a
#     RelWithDebInfo plugin is 95% debug information (25 MB instead of 1 MB for tracking.so).
# OUTPUT_DIRECTORY defaults to ${CMAKE_BINARY_DIR}/plugins inside the mcpd source tree (the host's default
# plugins directory in a build tree) and to CMake's usual library output directory elsewhere.
#
# mcpd_install_plugin(<name> [DESTINATION <dir>] [COMPONENT <component>])
#
# Installs a plugin built by mcpd_add_plugin into DESTINATION (default lib/mcpd/plugins, where the host
# looks by default) in COMPONENT (default runtime), and its <name>.so.debug beside it in the component
# "debug", so that `cmake --install build --component debug` gives gdb the symbols of a crashed plugin
# without shipping 25 MB of them by default.
#
# Works both in the mcpd tree (the top-level CMakeLists includes this file) and from an installed package
# (find_package(mcpd) includes it).
include_guard(GLOBAL)

function(mcpd_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_DIRECTORY" "SOURCES;LINK_LIBRARIES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mcpd_add_plugin(${name}): unexpected arguments '${arg_UNPARSED_ARGUMENTS}'. "
                        "Usage: mcpd_add_plugin(<name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>] "
                        "[LINK_LIBRARIES <lib>...])")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "mcpd_add_plugin(${name}): no SOURCES given; list the plugin's .cpp files "
                        "after SOURCES.")
  endif()

  add_library(${name} MODULE ${arg_SOURCES})
  # A plugin with C++ sources uses the SDK; one written in C alone needs only the ABI header and the C
  # kit, and so no C++ compiler and no Boost.
  set(cxx_sources ${arg_SOURCES})
  list(FILTER cxx_sources INCLUDE REGEX "\\.(cpp|cc|cxx|c\\+\\+)$")
  if(cxx_sources)
    target_link_libraries(${name} PRIVATE mcpd::sdk ${arg_LINK_LIBRARIES})
    target_compile_features(${name} PRIVATE cxx_std_20)
    target_compile_options(${name} PRIVATE $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-fno-gnu-unique>)
  else()
    target_link_libraries(${name} PRIVATE mcpd::plugin_api ${arg_LINK_LIBRARIES})
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  # A clang sanitizer build (mcpd's MCPD_SANITIZE / MCPD_FUZZ) links the sanitizer runtime into the
  # executable only, and a plugin finds its symbols there when it is loaded.
  if(NOT (MCPD_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang"))
    target_link_options(${name} PRIVATE LINKER:--no-undefined)
  endif()
  if(NOT APPLE AND NOT WIN32)
    set(export_map "${CMAKE_CURRENT_BINARY_DIR}/${name}_exports.map")
    file(CONFIGURE OUTPUT "${export_map}"
         CONTENT "{\n  global: mcpd_plugin_negotiate;\n  local: *;\n};\n")
    target_link_options(${name} PRIVATE "LINKER:--version-script=${export_map}")
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${export_map}")
  endif()

  if(CMAKE_OBJCOPY AND NOT APPLE AND NOT WIN32)
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND "${CMAKE_OBJCOPY}" --only-keep-debug "$<TARGET_FILE:${name}>" "$<TARGET_FILE:${name}>.debug"
      COMMAND "${CMAKE_OBJCOPY}" --strip-debug "--add-gnu-debuglink=$<TARGET_FILE:${name}>.debug"
              "$<TARGET_FILE:${name}>"
      VERBATIM)
  endif()

  if(arg_OUTPUT_DIRECTORY)
    set(output_directory "${arg_OUTPUT_DIRECTORY}")
  elseif(TARGET mcpd_sdk)
    # mcpd_sdk (not the mcpd::sdk imported target) exists only inside the mcpd source tree.
    set(output_directory "${CMAKE_BINARY_DIR}/plugins")
  endif()
  if(DEFINED output_directory)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${output_directory}")
  endif()
endfunction()

function(mcpd_install_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "DESTINATION;COMPONENT" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mcpd_install_plugin(${name}): unexpected arguments '${arg_UNPARSED_ARGUMENTS}'. "
                        "Usage: mcpd_install_plugin(<name> [DESTINATION <dir>] [COMPONENT <component>])")
  endif()
  if(NOT arg_DESTINATION)
    set(arg_DESTINATION lib/mcpd/plugins)
  endif()
  if(NOT arg_COMPONENT)
    set(arg_COMPONENT runtime)
  endif()
  install(TARGETS ${name} LIBRARY DESTINATION "${arg_DESTINATION}" COMPONENT "${arg_COMPONENT}")
  if(CMAKE_OBJCOPY AND NOT APPLE AND NOT WIN32)
    install(FILES "$<TARGET_FILE:${name}>.debug" DESTINATION "${arg_DESTINATION}" COMPONENT debug
            EXCLUDE_FROM_ALL)
  endif()
endfunction()

# mcpd_embed_text_files(<target> NAMESPACE <c++ namespace> FILES <file>...)
#
# Compiles text files (e.g. one JSON tool definition per tool, kept beside its handler) into <target>, so
# the plugin reads them at init without touching the file system. Adds a generated source that defines
#   std::span<const mcpd::sdk::embedded_text_file> <namespace>::embedded_text_files() noexcept;
# (declare it in a header of yours; <mcpd/sdk/embedded_text.hpp> has the type and a lookup by name), one
# entry per file in the order given, named by its file name. Editing a file rebuilds just that source.
function(mcpd_embed_text_files target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "NAMESPACE" "FILES")
  if(arg_UNPARSED_ARGUMENTS OR NOT arg_NAMESPACE OR NOT arg_FILES)
    message(FATAL_ERROR "mcpd_embed_text_files(${target}): usage: mcpd_embed_text_files(<target> "
                        "NAMESPACE <c++ namespace> FILES <file>...)")
  endif()
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/mcpdEmbedText.cmake")
  set(absolute_files "")
  foreach(file IN LISTS arg_FILES)
    get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND absolute_files "${file}")
  endforeach()
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded_text.cpp")
  string(REPLACE ";" "|" file_argument "${absolute_files}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${output}" "-DNAMESPACE=${arg_NAMESPACE}" "-DFILES=${file_argument}"
            -P "${script}"
    DEPENDS ${absolute_files} "${script}"
    COMMENT "Embedding ${target}'s text files"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
endfunction()
