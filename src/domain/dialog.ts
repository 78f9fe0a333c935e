/**
 * The question the bot is waiting for a resident to answer. Stored on the resident row, so a
 * worker restart or another worker picks the conversation up where it was.
 *
 * `pendingMessageIds` are inbound messages that will become the case once the answer is in.
 */
export type Dialog =
  | { kind: 'ask-village'; pendingMessageIds: number[]; attempts: number }
  /** `menu`: the department ids in the order they were offered (answer 1 = menu[0]). */
  | { kind: 'ask-department'; pendingMessageIds: number[]; attempts: number; menu: string[] }
  /** Waiting for the rating (回访) of a resolved case. */
  | { kind: 'callback'; caseId: number };
