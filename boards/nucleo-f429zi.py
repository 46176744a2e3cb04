"""ST NUCLEO-F429ZI (UM1974): STM32F429ZI with an on-board ST-LINK/V2-1.

The same Nucleo-144 layout as the F767ZI board: the ST-LINK's 8 MHz MCO on
OSC_IN (HSE bypass), its virtual COM port on USART3 PD8/PD9, LEDs on PB0, PB7 and
PB14, and RMII Ethernet to a LAN8742A PHY."""

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
    name="nucleo-f429zi",
    description="ST Nucleo-144 with STM32F429ZI (Cortex-M4F, 180 MHz), Ethernet",
    vendor="STMicroelectronics",
    chip="stm32f429zi",
    clock_source=Hse(8 * MHz, bypass=True),
    sysclk_hz=180 * MHz,
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
    flash=PyocdFlash("stm32f429xi"),
    facts={"console_af": 7},
)
