/* STUB */
#ifndef LIBQTEST_H
#define LIBQTEST_H
#endif
