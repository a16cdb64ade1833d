/**
 * Wire codec of the xenstore protocol (xs_wire.h): header, encoder, streaming decoder, the
 * WATCH_EVENT frame and message formatting. Payload strings: see ../payload.
 */
export { XSD_SOCKMSG_SIZE, readHeader, writeHeader, type XsdSockmsg } from './header';
export { encodeMsg, encodeMsgs } from './encode';
export { XsFrameDecoder, type XsFrame, type XsFrameFault, type XsFrameDecoderOptions } from './decoder';
export { watchEventMsg } from './watchEvent';
export { formatMsg, formatPayload, xsTypeName, xsTypeNumber } from './format';
