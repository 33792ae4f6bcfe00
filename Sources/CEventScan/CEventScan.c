// The classifiers are `static inline` in include/CEventScan.h; SwiftPM needs one source file per C target.
#include "CEventScan.h"
