// Public entry of the renderers and terminal capability detection.

export type {
  BlockKind, BlockRendererOptions, CellRect, FrameRenderer, RenderOptions, RendererKind, ShownModel,
} from './types.js';
export { createBlockRenderer, type BlockRenderer } from './blocks.js';
export { FrameScaler, fitContent, type PixelGrid, type ContentBox } from './scale.js';
export { createSixelRenderer, sixelImageSize, type SixelRenderer, type SixelRendererOptions } from './sixel.js';
export { SixelEncoder, SIXEL_PALETTE_RGB, type SixelDither } from './sixel-encode.js';
export {
  detectCaps, envColorDepth, chooseRenderer, formatCaps, repliesComplete,
  type Caps, type ColorDepth, type RenderRequest, type TermReplies,
} from './caps.js';
export { ASCII_RAMP } from './ascii.js';
