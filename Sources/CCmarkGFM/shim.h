// Debian's libcmark-gfm and its GitHub extensions (tables, strikethrough, task lists,
// autolinks). Option flags are macros built from shifts, so they are restated here.
#ifndef MYCEL_CCMARKGFM_SHIM_H
#define MYCEL_CCMARKGFM_SHIM_H
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

static inline int mycel_cmark_options(void) {
    return CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_SOURCEPOS | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
}
#endif
