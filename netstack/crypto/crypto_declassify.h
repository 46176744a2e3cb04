/*
 * crypto_declassify.h - mark a value derived from secrets as public.
 *
 * The constant-time test runs the code under valgrind memcheck with the private
 * key marked undefined: any branch or memory index that depends on it is then
 * reported. A few values derived from secrets are public by design (whether a
 * private key was in range, the r of a signature); CRYPTO_DECLASSIFY says so at
 * the one place where the code branches on them. In normal builds it is nothing.
 */
#ifndef CRYPTO_DECLASSIFY_H
#define CRYPTO_DECLASSIFY_H

#ifdef CRYPTO_CT_VALGRIND
#include <valgrind/memcheck.h>
#define CRYPTO_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define CRYPTO_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

#endif /* CRYPTO_DECLASSIFY_H */
