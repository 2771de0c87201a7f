// The one door to ncursesw. Wide-character functions need NCURSES_WIDECHAR before the
// header; the macros and globals Swift cannot import are wrapped as small functions.
#ifndef MYCEL_CNCURSESW_SHIM_H
#define MYCEL_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *mycel_stdscr(void) { return stdscr; }
static inline int mycel_lines(void) { return LINES; }
static inline int mycel_cols(void) { return COLS; }
static inline int mycel_colors(void) { return COLORS; }
static inline int mycel_color_pairs(void) { return COLOR_PAIRS; }

/// Whether the current terminal can move the cursor to a row and column (terminfo's `cup`):
/// without it (TERM=dumb, say) a full screen cannot be drawn.
static inline int mycel_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

static inline attr_t mycel_a_normal(void) { return A_NORMAL; }
static inline attr_t mycel_a_bold(void) { return A_BOLD; }
static inline attr_t mycel_a_dim(void) { return A_DIM; }
static inline attr_t mycel_a_italic(void) { return A_ITALIC; }
static inline attr_t mycel_a_underline(void) { return A_UNDERLINE; }
static inline attr_t mycel_a_reverse(void) { return A_REVERSE; }

static inline mmask_t mycel_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t mycel_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t mycel_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t mycel_button1_click(void) { return BUTTON1_CLICKED; }
static inline mmask_t mycel_button1_double(void) { return BUTTON1_DOUBLE_CLICKED; }
static inline mmask_t mycel_wheel_up(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t mycel_wheel_down(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t mycel_wheel_down(void) { return 0; }
#endif

/// Puts one grapheme (up to a few code points) with attributes and a colour pair at y, x.
static inline int mycel_put(WINDOW *w, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t c;
    if (setcchar(&c, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &c);
}

/// Reads back the cell at y, x: up to `cap` code points into `text`, attributes and pair.
static inline int mycel_get(WINDOW *w, int y, int x, wchar_t *text, int cap, attr_t *attrs, short *pair) {
    cchar_t c;
    if (mvwin_wch(w, y, x, &c) == ERR) return ERR;
    wchar_t buf[CCHARW_MAX + 1];
    if (getcchar(&c, buf, attrs, pair, NULL) == ERR) return ERR;
    int i = 0;
    for (; i < cap - 1 && buf[i] != 0; i++) text[i] = buf[i];
    text[i] = 0;
    return OK;
}

#endif
