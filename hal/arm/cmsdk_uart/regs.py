"""ARM CMSDK APB UART (Cortex-M System Design Kit Technical Reference Manual, 4.3)."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="cmsdk_uart",
    doc="CMSDK APB UART, as on the MPS2 FPGA images",
    registers=(
        Register("DATA", 0x0, (Field("DATA", 0, 8),), doc="received / to send"),
        Register("STATE", 0x4, (
            Field("TXFULL", 0, access="ro"), Field("RXFULL", 1, access="ro"),
            Field("TXOVR", 2, access="w1c"), Field("RXOVR", 3, access="w1c"),
        )),
        Register("CTRL", 0x8, (
            Field("TXEN", 0), Field("RXEN", 1), Field("TXIRQEN", 2), Field("RXIRQEN", 3),
        )),
        Register("INTSTATUS", 0xC),
        Register("BAUDDIV", 0x10, (Field("DIV", 0, 20),), doc="clock / baud, at least 16"),
    ),
)
