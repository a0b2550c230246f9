/* check.h -- the checking macros of the C ABI test programs (each program defines `passed` and
 * `failed` through this header and prints "c_api: N passed, M failed" at its end). */
#ifndef JAMSTAT_TEST_CHECK_H
#define JAMSTAT_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jamstat/jamstat.h"

static int passed = 0, failed = 0;

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (cond) {                                                                  \
      ++passed;                                                                  \
    } else {                                                                     \
      ++failed;                                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
    }                                                                            \
  } while (0)

/* A call must succeed. */
#define OK(call)                                                                                        \
  do {                                                                                                  \
    jamstat_status s_ = (call);                                                                         \
    if (s_ == JAMSTAT_OK) {                                                                             \
      ++passed;                                                                                         \
    } else {                                                                                            \
      ++failed;                                                                                         \
      fprintf(stderr, "%s:%d: %s -> %s: %s\n", __FILE__, __LINE__, #call, jamstat_status_name(s_),      \
              jamstat_last_error_message());                                                            \
    }                                                                                                   \
  } while (0)

/* A call must fail with `status` and a message containing `fragment`. */
#define FAILS(call, status, fragment)                                                                   \
  do {                                                                                                  \
    jamstat_status s_ = (call);                                                                         \
    if (s_ == (status) && jamstat_last_error_status() == (status) &&                                    \
        strstr(jamstat_last_error_message(), (fragment)) != NULL) {                                     \
      ++passed;                                                                                         \
    } else {                                                                                            \
      ++failed;                                                                                         \
      fprintf(stderr, "%s:%d: %s -> %s (\"%s\"), expected %s with \"%s\"\n", __FILE__, __LINE__, #call, \
              jamstat_status_name(s_), jamstat_last_error_message(), jamstat_status_name(status), fragment); \
    }                                                                                                   \
  } while (0)

#define NEAR(a, b, rel) CHECK(fabs((a) - (b)) <= (rel) * fabs(b))

#endif
