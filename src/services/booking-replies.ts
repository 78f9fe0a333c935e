/**
 * What residents and cadres read about bookings (预约): short, numbered, polite.
 */
import { DateTime } from 'luxon';
import { excerpt, numbered, quote } from './replies.js';

const weekdayNames = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const navigation = '0 返回，发“取消”退出';

/** "11月27日 周五" */
export function dayLabel(date: string, timezone: string): string {
  const d = DateTime.fromISO(date, { zone: timezone });
  return `${d.toFormat('M月d日')} ${weekdayNames[d.weekday]}`;
}

/** "11月27日 周五 09:00–10:00" */
export function slotLabel(startsAt: Date, endsAt: Date, timezone: string): string {
  const start = DateTime.fromJSDate(startsAt, { zone: timezone });
  return `${start.toFormat('M月d日')} ${weekdayNames[start.weekday]} ${timeRange(startsAt, endsAt, timezone)}`;
}

/** A slot's hours on its day: "14:30–15:30". */
export function timeRange(startsAt: Date, endsAt: Date, timezone: string): string {
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: timezone }).toFormat('HH:mm');
  return `${at(startsAt)}–${at(endsAt)}`;
}

/**
 * The address or note of a visit as a cadre reads it beside its village: none when it is empty or only
 * the village again (the address offered to a resident who answered 1).
 */
function addressNote(p: { address: string; village: string }): string {
  const address = p.address.trim();
  return address === p.village ? '' : address;
}

/** Whether a quoted notice about visit `number` carries its resident's words (【预约 101】群众在等：…, 【预约 101】群众回复：…). */
export function fromResident(quoted: string, number: number): boolean {
  return quoted.startsWith(`【预约 ${number}】群众`);
}

export const bookingReplies = {
  chooseService: (services: string[]) => `请选择要预约的服务，回复数字：\n${numbered(services)}\n${navigation}`,
  noServices: () => `目前没有可以预约的服务。有事请直接留言。`,
  chooseDay: (service: string, days: string[]) => `“${service}”可以约这些日子，回复数字：\n${numbered(days)}\n${navigation}`,
  fullyBooked: (service: string) => `“${service}”近期已经约满了，请过几天再试，或直接留言说明情况。`,
  chooseSlot: (day: string, slots: string[]) => `${day}还有这些时段，回复数字：\n${numbered(slots)}\n${navigation}`,
  /** `kept`: the address is one given before (改约, or back from the confirmation). */
  askAddress: (address: string, kept: boolean) =>
    kept
      ? `请回复上门的地址。直接回复 1 就按原地址“${address}”。\n${navigation}`
      : `请回复上门的地址（如：${address}三组 张家）。直接回复 1 就按“${address}”。\n${navigation}`,
  askNote: () => `有什么要说明的（如要带的材料）？没有就回复 1。\n${navigation}`,
  typeTheAddress: () => `语音和图片这里记不下，请打字回复。`,
  confirm: (p: { service: string; department: string; when: string; address: string; home: boolean }) =>
    `请确认预约：\n服务：${p.service}（${p.department}）\n时间：${p.when}\n` +
    (p.home ? `地点/备注：${p.address}` : `地点：${p.department}（请您到站）${p.address ? `\n备注：${p.address}` : ''}`) +
    `\n回复 1 确认；${navigation}`,
  notUnderstood: () => `请回复列表前面的数字。`,
  /** A voice or a photo instead of a number: nothing here can hear it. */
  typeTheNumber: () => `语音和图片这里看不了，请打字回复列表前面的数字，如 1。`,
  /** An answer other than 1 at the confirmation; `words`: not a number ("明天不行"), maybe an objection. */
  confirmFirst: (words: boolean) => (words ? `还没有约好。要改请回复 0 返回，没问题请回复 1 确认。` : `还没有约好，请回复 1 确认。`),
  slotTaken: () => `抱歉，这个时段刚刚约满了。`,
  /** A day named in words that has nothing to book, and why ("休息日", the service's note for a closed day). */
  dayUnavailable: (day: string, why: string) => `${day}约不了${why ? `（${why}）` : ''}。`,
  dayFull: (day: string) => `${day}已经约满了。`,
  dayPast: (day: string) => `${day}已经过了。`,
  dayTooFar: (day: string, days: number) => `${day}太远了，只能约 ${days} 天以内的。`,
  timeUnavailable: () => `这个时间约不了。`,
  slotChosen: (when: string) => `好的，${when}。`,
  /** The day or time said with 预约, before the service is chosen. */
  whenHeard: (when: string) => `好的，约 ${when}。`,
  /** The service taken from her words ("请农技站的人来看看"), before its days or slots. */
  serviceNamed: (service: string, department: string) => `好的，约${department}的“${service}”。`,
  booked: (p: { number: number; service: string; when: string; department: string; cadre: string; replaced: number | null }) =>
    `预约成功，预约号 ${p.number}。\n${p.when} ${p.service}，由${p.department}${p.cadre}负责。` +
    (p.replaced ? `\n原预约 ${p.replaced} 已取消。` : '') +
    `\n如需取消请发“取消预约 ${p.number}”，改时间请发“改约 ${p.number}”。`,
  left: () => `已退出预约。需要时再发“预约”。`,
  /** Out of a 取消预约 or 改约 without changing anything: `number`, the one booking concerned. */
  kept: (number: number | null) => (number ? `好的，预约 ${number} 不变。` : `好的，您的预约都不变。`),
  expired: () => `预约没有完成，已自动退出。需要时请重新发“预约”。`,
  notConfirmed: (when: string, service: string) => `您选的 ${when} ${service}没有确认，没有约上。需要的话请重新发“预约”。`,
  rescheduleLapsed: (number: number, when: string) => `改时间没有完成，预约 ${number} 还是原来的 ${when}。`,
  /** Asked after one's bookings in the middle of the dialog; the question follows. */
  notBookedYet: (confirming: boolean) => (confirming ? `下面这个还没有确认，回复 1 才算约好：` : `您正在约的还没有约好，请接着回答：`),
  mine: (lines: string[]) => (lines.length === 0 ? `您目前没有预约。发“预约”可以预约上门服务。` : `您的预约：\n${lines.join('\n')}`),
  mineLine: (p: { number: number; when: string; service: string; cadre: string }) => `${p.number} ${p.when} ${p.service}（${p.cadre}）`,
  noSuchBooking: (number: number) => `没有找到您的预约 ${number}，请发“我的预约”核对。`,
  /** Someone else's booking (a daughter's WeChat, her mother's visit): only the WeChat that booked it changes it. */
  anotherAccountsBooking: (number: number, cancel: boolean) =>
    `预约 ${number} 不是用这个微信约的，这里${cancel ? '取消' : '改'}不了。请用约的那个微信发“${cancel ? '取消预约' : '改约'} ${number}”。`,
  tooLateToCancel: (minutes: number) =>
    `离预约时间不到 ${minutes % 60 === 0 ? `${minutes / 60} 小时` : `${minutes} 分钟`}，不能在这里取消或改约了，请直接联系负责的同志。`,
  answerFirst: () => `请先回答上面的问题，再发“预约”。`,
  cancelled: (number: number) => `预约 ${number} 已取消。`,
  alreadyBooked: (number: number) => `您已经约了这个时段（预约号 ${number}），不用再约。改时间请发“改约 ${number}”。`,
  which: (lines: string[], action: 'cancel' | 'reschedule', example: string) =>
    `您的预约：\n${lines.join('\n')}\n` +
    (lines.length === 1 && action === 'cancel'
      ? `确定取消这个预约吗？取消回复 1，保留回复 0。`
      : `${action === 'cancel' ? '要取消哪一个' : '哪一个要改时间'}？请回复预约号，如 ${example}。`),
  lateCancelPassedOn: (p: { number: number; cadre: string }) =>
    `离预约时间很近了，已转告${p.cadre}您不能按时到（预约 ${p.number}），请保持电话畅通。`,
  bookingPast: (number: number) => `预约 ${number} 的时间已经过了。需要的话请重新发“预约”。`,
  rescheduleStart: (number: number) => `为预约 ${number} 改时间（新时间约好后，原预约才取消）。`,
  reminder: (p: { number: number; when: string; service: string; cadre: string }) =>
    `【预约提醒】${p.when} ${p.service}，${p.cadre}负责（预约号 ${p.number}）。不能按时请发“取消预约 ${p.number}”，我们会转告${p.cadre}。`,
  /** Her question after a visit due now, passed to its cadre. */
  visitAskedPassedOn: (p: { number: number; time: string; service: string; cadre: string }) =>
    `已告诉${p.cadre}您在等（今天 ${p.time} ${p.service}，预约号 ${p.number}），请稍等。`,
  /** A cadre's words about her visit ("路上堵了，晚半小时到"), as a case's 回复 reads, with the visit named (read back by quotedVisitWords when she quotes them). */
  cadreWords: (p: { number: number; service: string; when: string; department: string; cadre: string; text: string }) =>
    `【${p.department} ${p.cadre}】${p.text}\n（您预约的${p.service}：${p.when}，预约号 ${p.number}）`,
  /** Her answer to them, passed on; `night`: in the quiet hours, when he sees it (see night-replies.ts). */
  answerPassedOn: (p: { number: number; cadre: string; night?: string | null }) => `已转告${p.cadre}（预约号 ${p.number}）。${p.night ?? ''}`,
  /** The resident, when the cadre of a visit goes on leave and another takes it. */
  handedOver: (p: { number: number; when: string; service: string; department: string; cadre: string }) =>
    `【预约变动】您 ${p.when} 的${p.service}（预约号 ${p.number}）原负责的同志那天不在，改由${p.department}${p.cadre}负责，时间不变。`,

  // ── Cadres ──
  /** A new visit for the cadre; `from`: the cadre on leave (请假) it was handed over from. */
  cadreNew: (p: { number: number; when: string; service: string; village: string; resident: string; address: string; flagged: number | null; from?: string }) =>
    `【新预约 ${p.number}】${p.from ? `（${p.from}请假，转由您负责）` : ''}${p.when}\n${p.service} · ${p.village} ${p.resident}` +
    (addressNote(p) ? `\n地点/备注：${addressNote(p)}` : '') +
    (p.flagged ? `\n（该群众已 ${p.flagged} 次未到，请提前电话确认）` : '') +
    `\n办完请发“完成 ${p.number} 说明”，没来请发“未到 ${p.number}”。`,
  cadreCancelled: (p: { number: number; when: string; service: string; resident: string }) =>
    `【预约取消】${p.number} ${p.when} ${p.service}（${p.resident}）已取消。`,
  cadreLateCancel: (p: { number: number; when: string; service: string; resident: string }) =>
    `【预约变动】${p.number} ${p.when} ${p.service}（${p.resident}）：群众说不能按时了。请您和群众联系，不用去的话办完后发“未到 ${p.number}”。`,
  /** She asks after a visit due now ("怎么还没来"): her words, and the visit. */
  cadreVisitAsked: (p: { number: number; when: string; service: string; village: string; resident: string; address: string; words: string }) =>
    `【预约 ${p.number}】群众在等：${p.words}\n${p.when} ${p.service} · ${p.village} ${p.resident}` +
    (addressNote(p) ? `\n地点/备注：${addressNote(p)}` : '') +
    `\n请尽快和群众联系。`,
  /** Her answer to his words about the visit (see {@link fromResident}); `what`: a photo or voice, forwarded after it. */
  residentAnswered: (p: { number: number; when: string; service: string; village: string; resident: string; text: string; what?: string }) =>
    `【预约 ${p.number}】群众${p.what ? `发来${p.what}，见下条` : `回复：${quote(p.text)}`}\n${p.when} ${p.service} · ${p.village} ${p.resident}\n引用这条即可回复群众。`,
  wordsSent: (p: { number: number; resident: string; holder?: string | undefined }) =>
    `已转告预约 ${p.number} 的群众${p.resident}${p.holder ? `，负责的${p.holder}也会收到这条` : ''}。`,
  /** To the visit's cadre: a head or the office wrote to its resident. */
  wordsByOther: (p: { number: number; by: string; resident: string; text: string }) => `【预约 ${p.number}】${p.by}已转告群众${p.resident}：${quote(p.text)}`,
  wordsNotYours: (number: number) => `预约 ${number} 不由您负责，这条没有转给群众。如需调整，请联系部门负责人或办公室。`,
  noSuchBookingForWords: (number: number) => `没有找到预约 ${number}，这条没有发出。`,
  /** A visit done, missed or cancelled long ago (`state`: how it ended). */
  wordsTooLate: (p: { number: number; state: string }) => `预约 ${p.number} ${p.state}，这条没有转给群众。`,
  /** Words led by the number of a visit he may act on ("101 路上堵了") and of no case of his: the line that sends them. */
  visitWordsNotSent: (p: { number: number; text: string }) =>
    `这条没有转给群众。要转告预约 ${p.number} 的群众，请发：\n预约 ${p.number} ${excerpt(p.text, 30)}\n发“帮助”查看全部指令。`,
  /** `回复 1001 …` where 1001 is both a case he may act on and a visit of his: nothing went. */
  caseOrBooking: (p: { number: number; caseResident: string; bookingResident: string; text: string }) =>
    `${p.number} 既是案件 #${p.number}（${p.caseResident}），也是您的预约 ${p.number}（${p.bookingResident}），这条还没有发出。\n` +
    `转告案件的群众请发：回复 #${p.number} ${excerpt(p.text, 30)}\n转告预约的群众请发：预约 ${p.number} ${excerpt(p.text, 30)}`,
  cadreReminder: (p: { number: number; when: string; service: string; village: string; resident: string; address: string }) =>
    `【预约提醒】${p.when} ${p.service} · ${p.village} ${p.resident}${addressNote(p) ? `，地点/备注：${addressNote(p)}` : ''}（预约号 ${p.number}）`,
  digest: (date: string, lines: string[], daysAhead: 0 | 1 = 0) => `【${date} ${daysAhead ? '明日' : '今日'}预约 ${lines.length} 个】\n${lines.join('\n')}`,
  digestLine: (p: { number: number; time: string; service: string; village: string; resident: string; address: string }) =>
    `${p.number} ${p.time} ${p.service} · ${p.village} ${p.resident}${addressNote(p) ? `（${addressNote(p)}）` : ''}`,
  noneOnDay: (daysAhead: 0 | 1) => `您${daysAhead ? '明天' : '今天'}没有预约。`,
  completed: (number: number) => `预约 ${number} 已完成。`,
  noShowRecorded: (p: { number: number; resident: string }) => `已记录预约 ${p.number}（${p.resident}）群众未到。`,
  noShowTooEarly: (p: { number: number; when: string }) => `预约 ${p.number} 在 ${p.when}，到时间后才能记“未到”。`,
  residentNoShow: (p: { number: number; service: string }) =>
    `您的预约 ${p.number}（${p.service}）工作人员没有等到您。需要的话请重新发“预约”。`,
  notYourBooking: (number: number) => `预约 ${number} 不由您负责。`,
  noSuchBookingForCadre: (number: number) => `没有找到预约 ${number}。`,
  bookingClosed: (number: number) => `预约 ${number} 已经处理过了。`,
  moved: (p: { number: number; resident: string }) => `预约 ${p.number} 已取消，已请${p.resident}另约时间（原时段不再约给别人）。`,
  moveTooLate: (number: number) => `预约 ${number} 的时间已经过了。办完请发“完成 ${number} 说明”，没来请发“未到 ${number}”。`,
  movedByCadre: (p: { number: number; when: string; service: string; cadre: string; reason: string }) =>
    `【预约改期】抱歉，您原定 ${p.when} 的${p.service}（预约 ${p.number}）要改期（${p.cadre}通知${p.reason ? `：${p.reason}` : ''}），请您另约时间。`,
  bookAgainLater: () => `请先回答上面的问题，之后发“预约”重新约。`,
  residentCompleted: (p: { number: number; service: string; note: string }) =>
    `您的预约 ${p.number}（${p.service}）已办完${p.note ? `：${p.note}` : '。'}\n有事随时留言。`,
};
