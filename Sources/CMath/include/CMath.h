// The C maths that Swift's Glibc module does not expose: glibc's GNU `sincos` (one argument reduction for both).
#ifndef ESSOR_CMATH_H
#define ESSOR_CMATH_H

/// sin x and cos x in one call; the values are glibc's `sin` and `cos` of x.
static inline void essor_sincos(double x, double *sine, double *cosine) {
    __builtin_sincos(x, sine, cosine);
}

#endif
