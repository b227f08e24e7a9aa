#ifndef DROPOUTNET_CNCURSES_SHIM_H
#define DROPOUTNET_CNCURSES_SHIM_H
// Wide-character curses (get_wch, mvaddnwstr, cchar_t) is only declared with this defined.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and C globals that Swift cannot import (or that strict concurrency rejects).
static inline WINDOW *dn_stdscr(void) { return stdscr; }
static inline int dn_lines(void) { return LINES; }
static inline int dn_cols(void) { return COLS; }
static inline int dn_colors(void) { return COLORS; }
static inline int dn_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t dn_a_bold(void) { return A_BOLD; }
static inline attr_t dn_a_dim(void) { return A_DIM; }
static inline attr_t dn_a_reverse(void) { return A_REVERSE; }
static inline attr_t dn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t dn_a_normal(void) { return A_NORMAL; }
static inline int dn_key_f(int n) { return KEY_F(n); }
static inline mmask_t dn_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t dn_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t dn_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t dn_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t dn_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t dn_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
#endif
