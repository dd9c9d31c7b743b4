# mcpd_add_plugin(): placeholder, written by the SDK work.
function(mcpd_add_plugin name)
endfunction()
