// Mapped windows of input files, and the SIGBUS guard that keeps a file truncated by another
// process (copytruncate rotation, say) from killing the reader.

#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include "CMappedInput.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

/// This thread's window. Read by the signal handler, which runs on the faulting thread (SIGBUS from
/// a memory access is synchronous), so thread-local storage is what it sees.
static __thread __attribute__((tls_model("initial-exec"))) char *window_base;
static __thread __attribute__((tls_model("initial-exec"))) size_t window_length;
static __thread __attribute__((tls_model("initial-exec"))) volatile sig_atomic_t window_truncated;

static struct sigaction previous_action;
static uintptr_t page_mask;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int install_failed;

static void on_sigbus(int signal, siginfo_t *info, void *context) {
    int saved_errno = errno;
    char *address = (char *)info->si_addr;
    // A fault (si_code > 0) on this thread's window: the file was cut short under it.
    if (info->si_code > 0 && window_base != NULL && address >= window_base && address < window_base + window_length) {
        // Zero pages over the rest of the window: the access is retried and reads zeros.
        char *page = (char *)((uintptr_t)address & page_mask);
        size_t rest = (size_t)(window_base + window_length - page);
        void *zeros = mmap(page, rest, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros != MAP_FAILED) {
            window_truncated = 1;
            errno = saved_errno;
            return;
        }
    }
    // Not ours: restore the previous handler. A fault then happens again, into it; a signal sent
    // by kill(2) or raise(3) is sent again (it stays pending until this handler returns).
    sigaction(SIGBUS, &previous_action, NULL);
    if (info->si_code <= 0) raise(SIGBUS);
    errno = saved_errno;
    (void)signal;
    (void)context;
}

static void install_handler(void) {
    long page = sysconf(_SC_PAGESIZE);
    page_mask = ~((uintptr_t)(page > 0 ? page : 4096) - 1);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    install_failed = sigaction(SIGBUS, &action, &previous_action) != 0;
}

const void *tl_map_window(int fd, long long offset, size_t length) {
    pthread_once(&install_once, install_handler);
    if (install_failed || window_base != NULL || length == 0) {
        errno = install_failed ? ENOTSUP : EINVAL;
        return NULL;
    }
    void *base = mmap(NULL, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)offset);
    if (base == MAP_FAILED) return NULL;
    window_truncated = 0;
    window_length = length;
    window_base = (char *)base;
    return base;
}

int tl_unmap_window(const void *base, size_t length) {
    int truncated = window_truncated;
    window_base = NULL;
    window_length = 0;
    window_truncated = 0;
    munmap((void *)base, length);
    return truncated;
}
