#ifndef TRIPLINE_CMAPPEDINPUT_H
#define TRIPLINE_CMAPPEDINPUT_H

#include <stddef.h>

/// Maps `length` bytes of the regular file `fd`, from `offset` (a multiple of the page size), read-only
/// and with its pages populated, as this thread's one mapped window. Returns NULL (errno set) when
/// the file cannot be mapped or this thread already holds a window.
///
/// A file cut short while mapped would make reading its missing pages raise SIGBUS. While the window is
/// mapped, a SIGBUS inside it replaces the missing pages with zero pages instead, and
/// `tl_unmap_window` reports it. A SIGBUS anywhere else goes to the handler that was there before.
const void *tl_map_window(int fd, long long offset, size_t length);

/// Unmaps this thread's window. Returns 1 when the file shrank under it (the bytes from the first
/// missing page on read as zeros), 0 otherwise.
int tl_unmap_window(const void *base, size_t length);

#endif
