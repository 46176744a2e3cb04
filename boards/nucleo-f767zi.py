"""ST NUCLEO-F767ZI (UM1974): STM32F767ZI with an on-board ST-LINK/V2-1.

The ST-LINK's 8 MHz MCO drives the STM32's OSC_IN (HSE bypass, solder bridge
SB148 as shipped) and its virtual COM port is wired to USART3 on PD8/PD9.
Ethernet is RMII to a LAN8742A PHY, with a 50 MHz reference clock from the PHY."""

from sdk.model import (
    Board,
    Console,
    EntropySource,
    Hse,
    Led,
    MHz,
    NetworkInterface,
    PinFunction,
    PyocdFlash,
)

ETH_AF = 11  # AF11: the Ethernet MAC's RMII signals

BOARD = Board(
    name="nucleo-f767zi",
    aliases=("stm32f7",),
    description="ST Nucleo-144 with STM32F767ZI (Cortex-M7F, 216 MHz), Ethernet",
    vendor="STMicroelectronics",
    chip="stm32f767zi",
    clock_source=Hse(8 * MHz, bypass=True),
    sysclk_hz=216 * MHz,
    console=Console(uart="USART3", tx="PD8", rx="PD9", baud=115200),
    leds=(
        Led("LD1", pin="PB0"),   # green
        Led("LD2", pin="PB7"),   # blue
        Led("LD3", pin="PB14"),  # red
    ),
    pins=(
        PinFunction("PA1", "ETH_RMII_REF_CLK", ETH_AF),
        PinFunction("PA2", "ETH_MDIO", ETH_AF),
        PinFunction("PA7", "ETH_RMII_CRS_DV", ETH_AF),
        PinFunction("PC1", "ETH_MDC", ETH_AF),
        PinFunction("PC4", "ETH_RMII_RXD0", ETH_AF),
        PinFunction("PC5", "ETH_RMII_RXD1", ETH_AF),
        PinFunction("PG11", "ETH_RMII_TX_EN", ETH_AF),
        PinFunction("PG13", "ETH_RMII_TXD0", ETH_AF),
        PinFunction("PB13", "ETH_RMII_TXD1", ETH_AF),
    ),
    network=NetworkInterface(driver="stm32-eth", peripheral="ETH", phy="LAN8742A"),
    entropy=EntropySource("stm32-rng", peripherals=("RNG",)),
    flash=PyocdFlash("stm32f767zi"),
    # USART1..3 take their pins on AF7.
    facts={"console_af": 7},
)
