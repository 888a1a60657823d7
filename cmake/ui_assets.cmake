# Embeds the web page files of ui/ into cairn_core at build time (no
# xxd needed): cmake/embed_ui.cmake writes them as C arrays. ECharts and
# its Japanese and Spanish chart locales come from the npm registry
# (package-lock.json) and are embedded beside them, so the binary serves
# the whole dashboard without internet access. The mapping files of
# examples/ (*.map.json) are embedded as "examples/NAME" for the import
# page's mapping list; they are not served under /assets/.
set(CAIRN_ECHARTS_JS ${CMAKE_SOURCE_DIR}/node_modules/echarts/dist/echarts.min.js)
if(NOT EXISTS ${CAIRN_ECHARTS_JS})
  message(FATAL_ERROR "${CAIRN_ECHARTS_JS} is missing: the dashboard embeds ECharts "
    "from node_modules. Run scripts/install-deps.sh (or 'npm ci' in ${CMAKE_SOURCE_DIR}, "
    "which needs Node.js 20 or later).")
endif()
# The Japanese and Spanish chart locales of the same ECharts release; its
# bundle has only the Chinese and English ones built in.
set(CAIRN_ECHARTS_LOCALES ${CMAKE_SOURCE_DIR}/node_modules/echarts/i18n/langJA.js
    ${CMAKE_SOURCE_DIR}/node_modules/echarts/i18n/langES.js)
foreach(locale_js ${CAIRN_ECHARTS_LOCALES})
  if(NOT EXISTS ${locale_js})
    message(FATAL_ERROR "${locale_js} is missing: run scripts/install-deps.sh "
      "(or 'npm ci' in ${CMAKE_SOURCE_DIR}) to install the ECharts release of package-lock.json.")
  endif()
endforeach()
# embed_ui.cmake takes the vendor files as one argument separated by '|'.
string(JOIN "|" CAIRN_VENDOR_JS ${CAIRN_ECHARTS_JS} ${CAIRN_ECHARTS_LOCALES})
file(GLOB_RECURSE CAIRN_UI_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/ui/*)
file(GLOB CAIRN_EXAMPLE_MAPS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.map.json)
set(CAIRN_UI_C ${CMAKE_BINARY_DIR}/generated/ui_assets.c)
add_custom_command(OUTPUT ${CAIRN_UI_C}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND ${CMAKE_COMMAND} -DUI_DIR=${CMAKE_SOURCE_DIR}/ui -DOUT=${CAIRN_UI_C}
          -DVENDOR_JS=${CAIRN_VENDOR_JS} -DEXAMPLES_DIR=${CMAKE_SOURCE_DIR}/examples
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_ui.cmake
  DEPENDS ${CAIRN_UI_FILES} ${CAIRN_EXAMPLE_MAPS} ${CAIRN_ECHARTS_JS} ${CAIRN_ECHARTS_LOCALES}
          ${CMAKE_SOURCE_DIR}/cmake/embed_ui.cmake
  VERBATIM)
target_sources(cairn_core PRIVATE ${CAIRN_UI_C})
