// Bolt 5 re-exports Block Kit's types only under its `types` namespace; these short names keep the
// view builders readable and give one place to change if that re-export moves.
import type { types } from "@slack/bolt";

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type PlainTextOption = types.PlainTextOption;
export type InputBlock = types.InputBlock;
export type SectionBlock = types.SectionBlock;
export type ActionsBlock = types.ActionsBlock;
export type InputBlockElement = types.InputBlockElement;
