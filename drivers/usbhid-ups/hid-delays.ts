/** usbhid-ups.h's default delays, written by load.off / load.on and published as ups.delay.*. */
export const DEFAULT_OFFDELAY = "20";
export const DEFAULT_ONDELAY = "30";
