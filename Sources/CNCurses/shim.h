#ifndef DROPOUTNET_CNCURSES_SHIM_H
#define DROPOUTNET_CNCURSES_SHIM_H
// Wide-character curses (get_wch, mvaddnwstr, cchar_t) is only declared with this defined.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
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
// Mouse masks are built with NCURSES_MOUSE_MASK, whose layout depends on the mouse ABI
// version, so they must come from C rather than be hard-coded in Swift.
static inline mmask_t dn_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t dn_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t dn_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t dn_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t dn_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t dn_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }

// Selects attributes and a colour pair of any number: COLOR_PAIR() only encodes pairs 0-255,
// the ncurses `opts` extension of wattr_set carries the full pair number.
static inline int dn_set_attributes(WINDOW *win, attr_t attrs, int pair) {
    return wattr_set(win, attrs, (short)(pair < 256 ? pair : 0), &pair);
}

// Whether the terminal takes 24-bit colour numbers directly (terminfo "RGB", ncurses >= 6.1).
static inline int dn_has_direct_color(void) { return tigetflag("RGB") > 0; }

// SIGINT/SIGTERM/SIGHUP: ncurses' own handlers leave the cursor hidden, so these only record the
// signal; the UI loop sees it within one input timeout and leaves through endwin, and the program
// then exits with 128 + the signal number. They are installed before newterm, which installs
// ncurses' handlers only for signals still at SIG_DFL. A signal handler must be
// async-signal-safe, which is why it lives in C (a Swift global is lazily initialised).
static volatile sig_atomic_t dn_quit_flag = 0;
static void dn_on_quit_signal(int sig) { dn_quit_flag = sig; }
static inline void dn_install_quit_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = dn_on_quit_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}
// Back to the default action: a second signal during the clean-up after endwin ends the process.
static inline void dn_remove_quit_handlers(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
}
static inline int dn_quit_requested(void) { return dn_quit_flag != 0; }
// The signal that asked to quit (0: none).
static inline int dn_quit_signal(void) { return (int)dn_quit_flag; }
static inline void dn_clear_quit_request(void) { dn_quit_flag = 0; }
#endif
