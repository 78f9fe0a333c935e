/**
 * The question the bot is waiting for a resident to answer. Stored on the resident row, so a
 * worker restart or another worker picks the conversation up where it was.
 *
 * `pendingMessageIds` are inbound messages that will become the case once the answer is in.
 */
export type Dialog =
  /** `askedAt` (ISO): when, so a village question nobody answers sends the matter to the office. */
  | { kind: 'ask-village'; pendingMessageIds: number[]; attempts: number; askedAt?: string }
  | DepartmentMenu
  /** Waiting for the rating (回访) of a resolved case. */
  | { kind: 'callback'; caseId: number }
  /**
   * Words another department is sure of, told while a case of hers is open: a new matter (1, to
   * `departmentId`), or more about case `caseId` (2)? `messageIds`: her words, kept meanwhile (more
   * of the same matter sent before she answered too); `expiresAt` (ISO): unanswered by then, they
   * join the case as a follow-up.
   */
  | { kind: 'ask-new-matter'; messageIds: number[]; caseId: number; departmentId: string; expiresAt: string }
  | BookingDialog;

/**
 * `menu`: the department ids in the order they were offered (answer 1 = menu[0]); `askedAt`
 * (ISO): when, so a menu nobody answers sends the matter to the office.
 */
export interface DepartmentMenu {
  kind: 'ask-department';
  pendingMessageIds: number[];
  attempts: number;
  menu: string[];
  askedAt?: string;
}

/**
 * A booking (预约) in progress, one numbered question at a time. `options` are what the last
 * menu offered (service ids, dates, or slot starts in ms), so "2" means what the resident saw.
 */
export interface BookingDialog {
  kind: 'booking';
  /** `pick`: which of the resident's bookings to cancel or change (`options`: booking numbers). */
  step: 'service' | 'day' | 'slot' | 'address' | 'confirm' | 'pick';
  /** After this (ISO time) the dialog has lapsed. */
  expiresAt: string;
  options: (string | number)[];
  serviceId?: string;
  day?: string;
  slotStart?: number;
  address?: string;
  /** 改约: the booking this one replaces, freed only once the new one is booked. */
  rescheduleOf?: number;
  /** At the `pick` step: what is done with the booking picked. */
  pickFor?: 'cancel' | 'reschedule';
  /**
   * The time the resident already said: at the `pick` step of a change of time, the new time
   * ("后天下午"); at the `service` step of a booking asked for with a time ("我要预约明天上午…"),
   * that day and time; at the `day` step, the time of day, for whichever day she picks.
   */
  when?: string;
  /**
   * The department menu of a matter she told, which this booking question came in front of ("取消预约",
   * "改约" at the menu): asked again once the booking is done; a booking left to lapse gives it back
   * as it was, to lapse in its turn (`departmentMenuMinutes` from when it was asked).
   */
  heldMenu?: DepartmentMenu;
  /**
   * The voice messages she sent in a row at this question, with no case open (each asked to be
   * typed): at the second the booking ends and the office listens (see the intake).
   */
  voiceIds?: number[];
}

/**
 * The visit (预约) a cadre wrote to the resident about last (`bookingId`), who (`cadreId`) and when
 * (`at`, ISO): what she writes within `photoFollowsMinutes` is her answer to that cadre.
 */
export interface ResidentContext {
  bookingId: number;
  cadreId: string;
  at: string;
}
