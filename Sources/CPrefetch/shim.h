// Asking the processor to start loading memory a loop will read a few steps later. The
// finder's scan over 100,000 notes waits on memory more than it computes; Swift has no
// prefetch of its own, and this header-only module links nothing.
#ifndef MYCEL_CPREFETCH_SHIM_H
#define MYCEL_CPREFETCH_SHIM_H

static inline __attribute__((always_inline)) void mycel_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
