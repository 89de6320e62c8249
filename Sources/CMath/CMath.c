// The module is header-only (static inline functions in include/CMath.h); SwiftPM needs one source file.
#include "CMath.h"
