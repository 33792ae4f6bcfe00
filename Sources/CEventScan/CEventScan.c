// The classifiers are `static inline` in include/CEventScan.h, so this file has nothing of its own;
// the container skip is in SkipContainer.c.
#include "CEventScan.h"
