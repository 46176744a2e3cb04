"""STM32F4/F7 reset and clock control (RCC). RM0090 rev 19 section 7.3 (F405/F429)
and RM0410 rev 4 section 5.3 (F767) agree on every register and field described
here; the F7 adds PLLR in PLLCFGR 28..30 and a second dedicated clock register."""

from sdk.model import Field, Register, RegisterBlock

BLOCK = RegisterBlock(
    name="rcc",
    doc="STM32F4/F7 RCC: oscillators, main PLL, bus prescalers, clock gates",
    registers=(
        Register("CR", 0x00, (
            Field("HSION", 0, doc="internal 16 MHz RC on (1 from reset)"),
            Field("HSIRDY", 1, access="ro", doc="HSI stable (1 from reset)"),
            Field("HSITRIM", 3, 5), Field("HSICAL", 8, 8, access="ro"),
            Field("HSEON", 16), Field("HSERDY", 17, access="ro"),
            Field("HSEBYP", 18, doc="HSE is an external clock, not a crystal; "
                  "writable only while HSEON=0"),
            Field("CSSON", 19), Field("PLLON", 24), Field("PLLRDY", 25, access="ro"),
            Field("PLLI2SON", 26), Field("PLLI2SRDY", 27, access="ro"),
            Field("PLLSAION", 28), Field("PLLSAIRDY", 29, access="ro"),
        ), reset=0x00000083, doc="clock control (HSICAL is factory-set)"),
        Register("PLLCFGR", 0x04, (
            Field("PLLM", 0, 6, doc="input divider, 2..63"),
            Field("PLLN", 6, 9, doc="VCO multiplier, 50..432"),
            Field("PLLP", 16, 2, doc="SYSCLK divider: 0=2, 1=4, 2=6, 3=8"),
            Field("PLLSRC", 22, doc="0: HSI, 1: HSE"),
            Field("PLLQ", 24, 4, doc="48 MHz-domain divider, 2..15"),
            Field("PLLR", 28, 3, doc="F7 only (DSI); reserved on F4"),
        ), reset=0x24003010, doc="main PLL configuration"),
        Register("CFGR", 0x08, (
            Field("SW", 0, 2, doc="system clock switch: 0 HSI, 1 HSE, 2 PLL"),
            Field("SWS", 2, 2, access="ro", doc="system clock in use, same coding"),
            Field("HPRE", 4, 4, doc="AHB prescaler: 0xxx /1, 1000 /2 .. 1111 /512"),
            Field("PPRE1", 10, 3, doc="APB1 prescaler: 0xx /1, 100 /2 .. 111 /16"),
            Field("PPRE2", 13, 3, doc="APB2 prescaler, same coding"),
            Field("RTCPRE", 16, 5), Field("MCO1", 21, 2), Field("I2SSRC", 23),
            Field("MCO1PRE", 24, 3), Field("MCO2PRE", 27, 3), Field("MCO2", 30, 2),
        ), doc="clock configuration"),
        Register("CIR", 0x0C, doc="clock interrupts"),
        Register("AHB1RSTR", 0x10, doc="AHB1 peripheral reset"),
        Register("AHB2RSTR", 0x14, doc="AHB2 peripheral reset"),
        Register("AHB3RSTR", 0x18, doc="AHB3 peripheral reset"),
        Register("APB1RSTR", 0x20, doc="APB1 peripheral reset"),
        Register("APB2RSTR", 0x24, doc="APB2 peripheral reset"),
        Register("AHB1ENR", 0x30, tuple(
            Field(f"GPIO{p}EN", i) for i, p in enumerate("ABCDEFGHIJK")) + (
            Field("CRCEN", 12), Field("BKPSRAMEN", 18), Field("DMA1EN", 21),
            Field("DMA2EN", 22), Field("ETHMACEN", 25), Field("ETHMACTXEN", 26),
            Field("ETHMACRXEN", 27), Field("ETHMACPTPEN", 28),
        ), reset=0x00100000, doc="AHB1 clock gates (GPIO ports, DMA, Ethernet)"),
        Register("AHB2ENR", 0x34, (Field("RNGEN", 6),), doc="AHB2 clock gates"),
        Register("AHB3ENR", 0x38, doc="AHB3 clock gates"),
        Register("APB1ENR", 0x40, (
            Field("TIM2EN", 0), Field("USART2EN", 17), Field("USART3EN", 18),
            Field("UART4EN", 19), Field("UART5EN", 20), Field("PWREN", 28),
            Field("UART7EN", 30), Field("UART8EN", 31),
        ), doc="APB1 clock gates"),
        Register("APB2ENR", 0x44, (
            Field("USART1EN", 4), Field("USART6EN", 5), Field("SYSCFGEN", 14),
        ), doc="APB2 clock gates"),
        Register("BDCR", 0x70, doc="backup domain control"),
        Register("CSR", 0x74, (Field("LSION", 0), Field("LSIRDY", 1, access="ro"),
                               Field("RMVF", 24)), reset=0x0E000000,
                 doc="control and status (reset flags)"),
        Register("SSCGR", 0x80, doc="spread spectrum"),
        Register("PLLI2SCFGR", 0x84, doc="I2S PLL configuration"),
    ),
)
