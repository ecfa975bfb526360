#ifndef EKV_TESTS_UNIT_H
#define EKV_TESTS_UNIT_H

/*
 * Shared by the cmocka unit tests (one binary per tests/unit/test_*.c): the
 * headers cmocka needs before its own, and TEST() to name a test with a sentence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define TEST(sentence, fn)                                                                         \
	{                                                                                          \
		sentence, fn, NULL, NULL, NULL                                                     \
	}

#endif
