/**
 * The questions of a resident's booking dialog (service → day → slot → address → confirm, and which
 * booking at 取消 / 改约): each one asked, asked again, gone back from or left, and a day or a time she
 * said taken where it answers one ("预约明天上午", "那就后天"). BookingService reads her answers and books.
 */
import type { Config, DepartmentConfig, ServiceConfig } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { BookingDialog } from '../domain/dialog.js';
import { localDate, type OpenSlot } from '../domain/slots.js';
import { bareWords } from '../domain/text.js';
import { pickSlot, readWhen } from '../domain/when-words.js';
import { bookingReplies as say, dayLabel, slotLabel, timeRange } from './booking-replies.js';
import type { BookingSlots } from './booking-slots.js';
import type { BookingWord } from './booking-words.js';
import type { Outbox } from './outbox.js';

export class BookingQuestions {
  private readonly services: Map<string, { service: ServiceConfig; department: DepartmentConfig }>;
  private readonly tz: string;

  constructor(
    private readonly config: Config,
    private readonly slots: BookingSlots,
    /** The department whose matter the text is, if one is clear (see BookingService). */
    private readonly departmentOf: (text: string) => string | null,
  ) {
    this.services = slots.services;
    this.tz = slots.tz;
  }

  // ── Steps ──────────────────────────────────────────────────────────

  /** The service menu; `when`: the day or time she said already, kept for after the service ("明天上午"), said first. */
  async askService(resident: Resident, outbox: Outbox, now: Date, when?: { words: string; label: string }): Promise<void> {
    const ids = [...this.services.keys()];
    if (ids.length === 0) return outbox.toResident(resident.id, say.noServices());
    resident.dialog = { kind: 'booking', step: 'service', options: ids, ...(when ? { when: when.words } : {}), expiresAt: this.expiry(now) };
    return outbox.toResident(resident.id, when?.label ? `${say.whenHeard(when.label)}\n${this.serviceMenu()}` : this.serviceMenu());
  }

  /**
   * 预约 asked for with a day or a time ("想预约明天上午请农技站的人来看看猪"): the service her words
   * point to, on the day and at the time she said; when they point to none, the service menu, what
   * she said kept for after it. Nothing she said is asked again.
   */
  async startSaid(tx: Repositories, resident: Resident, said: { when: string; words: string }, outbox: Outbox, now: Date): Promise<void> {
    const base: BookingDialog = { kind: 'booking', step: 'service', options: [], expiresAt: '', when: said.when };
    const { serviceId } = this.serviceIn(said.words);
    // In the middle of booking a service ("明天下午能预约吗" at its day question), the time is for it.
    const current = resident.dialog?.kind === 'booking' ? resident.dialog : null;
    if (current?.serviceId && (!serviceId || serviceId === current.serviceId)) {
      return this.atWhenSaid(tx, resident, { ...current, when: said.when }, current.serviceId, outbox, now);
    }
    if (serviceId) return this.atWhenSaid(tx, resident, base, serviceId, outbox, now, true);
    const when = readWhen(said.when, [], localDate(now, this.tz));
    const label = [when?.day ? dayLabel(when.day, this.tz) : '', when?.time ?? ''].filter(Boolean).join(' ');
    return this.askService(resident, outbox, now, { words: said.when, label });
  }

  /**
   * The service chosen, and the day or time said before it (`dialog.when`): that day's slot, its
   * slots, or the days with the time kept; with nothing said, the days. `named`: the service was
   * taken from her words, so the reply says which (the day menu does anyway).
   */
  async atWhenSaid(tx: Repositories, resident: Resident, dialog: BookingDialog, serviceId: string, outbox: Outbox, now: Date, named = false): Promise<void> {
    const said = dialog.when ? readWhen(dialog.when, (await this.slots.openDays(tx, serviceId, now)).map((d) => d.date), localDate(now, this.tz)) : null;
    const next = { ...withoutWhen(dialog), serviceId };
    if (said?.day) return this.toDay(tx, resident, next, said.day, said.time, outbox, now, undefined, named);
    // The day menu names the service.
    return this.askDay(tx, resident, said?.time ? { ...next, when: said.time } : next, serviceId, outbox, now);
  }

  /**
   * The service her words point to ("请农技站的人来看看", "预约体检"): one named, else the one service
   * of the department named (its name, an alias, its cadres' title: "技术员") or whose matter the
   * words are ("来看看猪"); null when that is not exactly one service. `unbookable`: the department
   * they point to has nothing to book.
   */
  private serviceIn(words: string, byName = false): { serviceId: string | null; unbookable: boolean } {
    const text = bareWords(words);
    const named = [...this.services.values()].filter(({ service }) => text.includes(bareWords(service.name.replace(/[（(][^）)]*[）)]/g, ''))));
    if (named.length === 1) return { serviceId: named[0]!.service.id, unbookable: false };
    const titles = (d: DepartmentConfig) => this.config.cadres.filter((c) => c.departments.includes(d.id)).map((c) => c.title);
    const called = this.config.departments.filter((d) => [d.name, ...d.aliases, ...titles(d)].some((n) => n.length >= 2 && text.includes(n)));
    const offering = called.filter((d) => d.services.length > 0);
    // A department named wins over the matter in the words ("请农技站的人来看看猪"); of several named,
    // the one with something to book.
    const department =
      called.length === 0
        ? byName ? undefined : this.config.departments.find((d) => d.id === this.departmentOf(words))
        : offering.length === 1 ? offering[0] : called.length === 1 ? called[0] : undefined;
    return { serviceId: department?.services.length === 1 ? department.services[0]!.id : null, unbookable: department?.services.length === 0 };
  }

  /**
   * The service named instead of its number at the service menu, as the menu writes it ("田间技术指导",
   * "农技站") or by its cadres' title ("防疫员"); null for anything else, a matter's words too.
   */
  serviceNamedIn(words: string): string | null {
    return this.serviceIn(words, true).serviceId;
  }

  /** Whether 预约 said with a time is for a department that has nothing to book ("预约明天上午民政办的人来"): its matter, not a booking. */
  bookingElsewhere(word: BookingWord | null): boolean {
    return word?.kind === 'start' && word.said !== undefined && this.serviceIn(word.said.words).unbookable;
  }

  /** "好的，约农技站的“田间技术指导”。" */
  private serviceNamed(serviceId: string): string {
    const { service, department } = this.services.get(serviceId)!;
    return say.serviceNamed(service.name, department.name);
  }

  async askDay(tx: Repositories, resident: Resident, dialog: BookingDialog, serviceId: string, outbox: Outbox, now: Date, lead?: string): Promise<void> {
    const days = await this.slots.openDays(tx, serviceId, now);
    if (days.length === 0) {
      resident.dialog = null;
      const full = say.fullyBooked(this.slots.serviceName(serviceId));
      return outbox.toResident(resident.id, lead ? `${lead}\n${full}` : full);
    }
    resident.dialog = { ...dialog, step: 'day', serviceId, options: days.map((d) => d.date), expiresAt: this.expiry(now) };
    const menu = this.dayMenuText(serviceId, days);
    return outbox.toResident(resident.id, lead ? `${lead}\n${menu}` : menu);
  }

  /**
   * A day said once the day was chosen, or a time once the time was ("那就后天上午", "8点" instead
   * of the address): a change of mind, not an answer. False when the words are no such change.
   */
  async changedWhen(tx: Repositories, resident: Resident, dialog: BookingDialog, text: string, outbox: Outbox, now: Date): Promise<boolean> {
    if (dialog.step !== 'slot' && dialog.step !== 'address' && dialog.step !== 'confirm') return false;
    const today = localDate(now, this.tz);
    const said = readWhen(text, [], today);
    if (said?.day) {
      // "周五" is the first Friday with room, as in the day menu.
      const when = readWhen(text, (await this.slots.openDays(tx, dialog.serviceId!, now)).map((d) => d.date), today)!;
      await this.toDay(tx, resident, dialog, when.day!, when.time, outbox, now);
      return true;
    }
    // At the slot step a time is the answer itself.
    if (!said?.time || dialog.step === 'slot') return false;
    await this.toDay(tx, resident, dialog, dialog.day!, said.time, outbox, now);
    return true;
  }

  /**
   * The day the resident named instead of a number, and the time with it, if any: that day's
   * slots, or the address question at once for a time it has free ("明天下午"); a day with nothing
   * to book is told why, with the days that have. `lead`: said first (改约: which booking is moved).
   */
  async toDay(
    tx: Repositories,
    resident: Resident,
    dialog: BookingDialog,
    day: string,
    time: string,
    outbox: Outbox,
    now: Date,
    lead?: string,
    /** The service was taken from her words: the reply names it (the day menu does anyway). */
    named = false,
  ): Promise<void> {
    const slots = await this.slots.slotsOfDay(tx, dialog.serviceId!, day, now);
    if (slots.length === 0) return this.askDay(tx, resident, dialog, dialog.serviceId!, outbox, now, leads(lead, this.slots.whyNotDay(dialog.serviceId!, day, now)));
    const slotStart = time ? pickSlot(time, slots.map((s) => s.startsAt.getTime()), this.tz) : null;
    if (slotStart !== null) return this.toAddress(resident, { ...dialog, day }, slotStart, outbox, now, leads(lead, this.slotChosen(dialog, slotStart, named)));
    const before = named ? this.serviceNamed(dialog.serviceId!) : undefined;
    return this.showSlots(resident, { ...dialog, day }, slots, outbox, now, leads(lead, before, time ? say.timeUnavailable() : undefined));
  }

  /** `lead`: the time a resident's words picked ("上午": which slot that is), said before the question. */
  toAddress(resident: Resident, dialog: BookingDialog, slotStart: number, outbox: Outbox, now: Date, lead?: string): void {
    const next: BookingDialog = { ...dialog, step: 'address', slotStart, options: [], expiresAt: this.expiry(now) };
    resident.dialog = next;
    const question = this.addressQuestion(next, resident);
    return outbox.toResident(resident.id, lead ? `${lead}\n${question}` : question);
  }

  /** "好的，11月26日 周四 08:30–09:30。"; `named`: with the service, "… 田间技术指导（农技站）。" */
  slotChosen(dialog: BookingDialog, slotStart: number, named = false): string {
    const { service, department } = this.services.get(dialog.serviceId!)!;
    const when = slotLabel(new Date(slotStart), new Date(slotStart + service.durationMinutes * 60_000), this.tz);
    return say.slotChosen(named ? `${when} ${service.name}（${department.name}）` : when);
  }

  async askSlot(tx: Repositories, resident: Resident, dialog: BookingDialog, outbox: Outbox, now: Date, lead?: string): Promise<void> {
    const slots = await this.slots.slotsOfDay(tx, dialog.serviceId!, dialog.day!, now);
    // The whole day went: back to the days.
    if (slots.length === 0) return this.askDay(tx, resident, dialog, dialog.serviceId!, outbox, now, lead);
    return this.showSlots(resident, dialog, slots, outbox, now, lead);
  }

  /** The slot menu of `dialog.day`, its `slots` open. */
  private showSlots(resident: Resident, dialog: BookingDialog, slots: OpenSlot[], outbox: Outbox, now: Date, lead?: string): void {
    resident.dialog = { ...dialog, step: 'slot', options: slots.map((s) => s.startsAt.getTime()), expiresAt: this.expiry(now) };
    const menu = this.slotMenuText(dialog.day!, slots);
    return outbox.toResident(resident.id, lead ? `${lead}\n${menu}` : menu);
  }

  /**
   * Out of the dialog, saying what stays: a booking the resident was changing or about to cancel
   * keeps its time — "已退出预约" alone would read as if it were gone.
   */
  async leave(tx: Repositories, resident: Resident, dialog: BookingDialog, outbox: Outbox): Promise<void> {
    resident.dialog = null;
    if (dialog.step === 'pick') {
      const only = dialog.options.length === 1 ? Number(dialog.options[0]) : null;
      return outbox.toResident(resident.id, say.kept(only));
    }
    if (dialog.rescheduleOf) {
      const booking = await tx.bookings.lockById(dialog.rescheduleOf);
      if (booking?.status === 'booked') return outbox.toResident(resident.id, say.kept(booking.number));
    }
    return outbox.toResident(resident.id, say.left());
  }

  async back(tx: Repositories, resident: Resident, dialog: BookingDialog, outbox: Outbox, now: Date): Promise<void> {
    switch (dialog.step) {
      case 'service':
        return this.leave(tx, resident, dialog, outbox);
      case 'day':
        if (dialog.rescheduleOf) return this.leave(tx, resident, dialog, outbox);
        return this.askService(resident, outbox, now);
      case 'slot':
        return this.askDay(tx, resident, dialog, dialog.serviceId!, outbox, now);
      case 'address':
        return this.askSlot(tx, resident, dialog, outbox, now);
      case 'confirm': {
        const next: BookingDialog = { ...dialog, step: 'address', expiresAt: this.expiry(now) };
        resident.dialog = next;
        return outbox.toResident(resident.id, this.addressQuestion(next, resident));
      }
      case 'pick':
        return this.leave(tx, resident, dialog, outbox);
    }
  }

  /** The question a booking dialog is waiting on, as it was asked. */
  async question(tx: Repositories, resident: Resident, dialog: BookingDialog, now: Date): Promise<string> {
    switch (dialog.step) {
      case 'service':
        return this.serviceMenu();
      case 'day':
        return this.dayMenu(tx, dialog.serviceId!, now);
      case 'slot':
        return this.slotMenu(tx, dialog, now);
      case 'address':
        return this.addressQuestion(dialog, resident);
      case 'confirm':
        return this.confirmText(dialog);
      case 'pick':
        return say.which(await this.slots.mineLines(tx, resident, now, dialog.options), dialog.pickFor!, String(dialog.options[0]));
    }
  }

  reask(resident: Resident, dialog: BookingDialog, menu: string, outbox: Outbox, now: Date, lead = say.notUnderstood()): void {
    resident.dialog = { ...dialog, expiresAt: this.expiry(now) };
    return outbox.toResident(resident.id, `${lead}\n${menu}`);
  }

  /** Home visits: the address, "1" for the default; at the station: a note, "1" for none. */
  addressQuestion(dialog: BookingDialog, resident: Resident): string {
    const { service } = this.services.get(dialog.serviceId!)!;
    return service.where === 'home' ? say.askAddress(this.defaultAddress(dialog, resident), dialog.address !== undefined) : say.askNote();
  }

  /** What "1" at the address step means: the address so far (改约: the booking's), else the village; at the station, no note. */
  defaultAddress(dialog: BookingDialog, resident: Resident): string {
    if (this.services.get(dialog.serviceId!)!.service.where !== 'home') return '';
    return dialog.address || this.slots.villageName(resident);
  }

  // ── Menus ──────────────────────────────────────────────────────────

  serviceMenu(): string {
    return say.chooseService(
      [...this.services.values()].map(({ service, department }) => `${service.name}（${department.name}·${service.where === 'home' ? '上门' : '到站'}）`),
    );
  }

  async dayMenu(tx: Repositories, serviceId: string, now: Date): Promise<string> {
    return this.dayMenuText(serviceId, await this.slots.openDays(tx, serviceId, now));
  }

  private dayMenuText(serviceId: string, days: { date: string; free: number }[]): string {
    return say.chooseDay(this.slots.serviceName(serviceId), days.map((d) => `${dayLabel(d.date, this.tz)}（余 ${d.free}）`));
  }

  async slotMenu(tx: Repositories, dialog: BookingDialog, now: Date): Promise<string> {
    return this.slotMenuText(dialog.day!, await this.slots.slotsOfDay(tx, dialog.serviceId!, dialog.day!, now));
  }

  private slotMenuText(day: string, slots: OpenSlot[]): string {
    return say.chooseSlot(
      dayLabel(day, this.tz),
      slots.map((s) => `${timeRange(s.startsAt, s.endsAt, this.tz)}（余 ${s.free}）`),
    );
  }

  confirmText(dialog: BookingDialog): string {
    const { service, department } = this.services.get(dialog.serviceId!)!;
    const startsAt = new Date(dialog.slotStart!);
    const when = slotLabel(startsAt, new Date(startsAt.getTime() + service.durationMinutes * 60_000), this.tz);
    return say.confirm({ service: service.name, department: department.name, when, address: dialog.address ?? '', home: service.where === 'home' });
  }

  expiry(now: Date): string {
    return new Date(now.getTime() + this.config.township.bookings.dialogIdleMinutes * 60_000).toISOString();
  }
}

/** The dialog without the time said before it was asked for (once used). */
export function withoutWhen(dialog: BookingDialog): BookingDialog {
  const { when: _said, ...rest } = dialog;
  return rest;
}

/** Lines said before a question, in order; undefined when there are none. */
function leads(...lines: (string | undefined)[]): string | undefined {
  return lines.filter(Boolean).join('\n') || undefined;
}
