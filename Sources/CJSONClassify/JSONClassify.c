// The kernel is all inline functions in include/JSONClassify.h, so that Swift callers inline it;
// SwiftPM needs one source file to build the target.
#include "JSONClassify.h"
