"""RP2040 timer (RP2040 datasheet 4.6.5): a 64-bit count of 1 us ticks from the
watchdog's tick generator, and four alarms."""

from sdk.model import Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rp2040_timer",
    doc="RP2040 TIMER: 64-bit microsecond counter",
    registers=(
        Register("TIMEHW", 0x00, access="wo"),
        Register("TIMELW", 0x04, access="wo"),
        Register("TIMEHR", 0x08, access="ro", doc="high word latched by reading TIMELR"),
        Register("TIMELR", 0x0C, access="ro", doc="low word; latches TIMEHR"),
        Register("ALARM0", 0x10), Register("ALARM1", 0x14), Register("ALARM2", 0x18),
        Register("ALARM3", 0x1C),
        Register("ARMED", 0x20, access="w1c"),
        Register("TIMERAWH", 0x24, access="ro", doc="high word, no side effect"),
        Register("TIMERAWL", 0x28, access="ro", doc="low word, no side effect"),
        Register("DBGPAUSE", 0x2C, reset=0x7),
        Register("PAUSE", 0x30),
        Register("INTR", 0x34, access="w1c"),
        Register("INTE", 0x38),
        Register("INTF", 0x3C),
        Register("INTS", 0x40, access="ro"),
    ),
)
