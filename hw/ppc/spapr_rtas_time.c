/*
 * RTAS time of day: the guest's clock is host UTC plus the machine's
 * rtc_offset (-rtc base=), which set-time-of-day moves.
 */
#include "hw/ppc/spapr_rtas.h"
#include "qemu/module.h"
#include "qemu/timer.h"

#include <time.h>

/* Guest wall-clock time in ns since the epoch. */
static int64_t rtas_guest_time_ns(SpaprMachineState *spapr)
{
    return qemu_clock_get_ns(QEMU_CLOCK_HOST) + spapr->rtc_offset * NANOSECONDS_PER_SECOND;
}

bool spapr_rtc_read(SpaprMachineState *spapr, struct tm *tm)
{
    int64_t ns = rtas_guest_time_ns(spapr);
    time_t secs = ns / NANOSECONDS_PER_SECOND - (ns % NANOSECONDS_PER_SECOND < 0);

    return gmtime_r(&secs, tm) != NULL;
}

/*
 * get-time-of-day: no arguments; returns status, year, month (1-12), day,
 * hour, minute, second, nanoseconds.  QEMU returns the low 32 bits of the
 * whole ns count in the last cell; PAPR asks for ns within the second.
 */
static void rtas_get_time_of_day(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 const SpaprRtasCall *call)
{
    int64_t ns;
    time_t secs;
    struct tm tm;

    if (call->nargs != 0 || call->nret != 8) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (!spapr) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    ns = rtas_guest_time_ns(spapr);
    secs = ns / NANOSECONDS_PER_SECOND;
    ns %= NANOSECONDS_PER_SECOND;
    if (ns < 0) {
        secs--;
        ns += NANOSECONDS_PER_SECOND;
    }
    if (!gmtime_r(&secs, &tm)) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
    rtas_st(call, 1, tm.tm_year + 1900);
    rtas_st(call, 2, tm.tm_mon + 1);
    rtas_st(call, 3, tm.tm_mday);
    rtas_st(call, 4, tm.tm_hour);
    rtas_st(call, 5, tm.tm_min);
    rtas_st(call, 6, tm.tm_sec);
    rtas_st(call, 7, ns);
}

static bool rtas_leap_year(uint32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Years an RTC holds; the range only keeps time_t arithmetic exact. */
#define RTAS_TOD_YEAR_MIN 1900
#define RTAS_TOD_YEAR_MAX 9999

/* A real calendar date and time of day (no leap second, ns < 1 s). */
static bool rtas_tod_valid(const uint32_t v[7])
{
    static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    uint32_t year = v[0], mon = v[1], day = v[2];
    uint32_t last;

    if (year < RTAS_TOD_YEAR_MIN || year > RTAS_TOD_YEAR_MAX || mon < 1 || mon > 12) {
        return false;
    }
    last = mdays[mon - 1] + (mon == 2 && rtas_leap_year(year));
    return day >= 1 && day <= last && v[3] < 24 && v[4] < 60 && v[5] < 60 &&
           v[6] < NANOSECONDS_PER_SECOND;
}

/*
 * set-time-of-day: year, month, day, hour, minute, second, nanoseconds;
 * returns status.  QEMU normalises impossible dates (month 13 is January
 * next year); we refuse them with a parameter error and keep the clock.
 */
static void rtas_set_time_of_day(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 const SpaprRtasCall *call)
{
    uint32_t v[7];
    struct tm tm = { 0 };
    time_t secs;

    if (call->nargs != 7 || call->nret != 1) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    for (unsigned i = 0; i < 7; i++) {
        v[i] = rtas_ld(call, i);
    }
    if (!rtas_tod_valid(v)) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_PARAM_ERROR);
        return;
    }
    if (!spapr) {
        rtas_st(call, 0, (uint32_t)RTAS_OUT_HW_ERROR);
        return;
    }
    tm.tm_year = v[0] - 1900;
    tm.tm_mon = v[1] - 1;
    tm.tm_mday = v[2];
    tm.tm_hour = v[3];
    tm.tm_min = v[4];
    tm.tm_sec = v[5];
    secs = timegm(&tm);
    /* The offset keeps whole seconds, as -rtc base= does. */
    spapr->rtc_offset = (int64_t)secs - qemu_clock_get_ns(QEMU_CLOCK_HOST) / NANOSECONDS_PER_SECOND;
    rtas_st(call, 0, RTAS_OUT_SUCCESS);
}

static void spapr_rtas_time_init(void)
{
    spapr_rtas_register(RTAS_GET_TIME_OF_DAY, "get-time-of-day", rtas_get_time_of_day);
    spapr_rtas_register(RTAS_SET_TIME_OF_DAY, "set-time-of-day", rtas_set_time_of_day);
}

module_init(spapr_rtas_time_init)
