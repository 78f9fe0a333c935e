/**
 * Everything residents and cadres read, in one place: short, polite, plain Chinese.
 * Functions take plain values and return text; no decisions are made here.
 */
import { DateTime } from 'luxon';
import type { DepartmentConfig, VillageConfig } from '../config/schema.js';

/** Longest text quoted into a notification; the full text stays in the case. */
const quoteLimit = 500;

export function formatTime(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('M月d日 HH:mm');
}

export function quote(text: string): string {
  return text.length <= quoteLimit ? text : `${text.slice(0, quoteLimit)}……（全文共 ${text.length} 字）`;
}

const numbered = (lines: string[]) => lines.map((line, i) => `${i + 1} ${line}`).join('\n');

export const replies = {
  askVillage: (township: string, villages: readonly VillageConfig[]) =>
    `您好！这里是${township}“连心”服务号，您的事我们记下了。\n` +
    `请先告诉我们您是哪个村的，回复数字或村名：\n${numbered(villages.map((v) => v.name))}`,

  reaskVillage: (villages: readonly VillageConfig[]) =>
    `没有找到这个村。请回复村名前面的数字：\n${numbered(villages.map((v) => v.name))}`,

  villageRegistered: (village: VillageConfig) => `好的，已登记您是${village.name}的。`,

  askDepartment: (menu: readonly DepartmentConfig[]) =>
    `请问这件事找哪个部门？回复数字：\n` +
    `${numbered(menu.map((d) => (d.description ? `${d.name}（${d.description}）` : d.name)))}\n` +
    `0 不清楚，请办公室帮我转`,

  reaskDepartment: () => `没看懂您的选择。请回复部门前面的数字；不清楚就回复 0。`,

  emptyMessage: () => `您好，这条消息是空的。请直接打字或发语音，说说您要反映的事情。`,

  caseAcknowledged: (p: { number: number; department: string; cadre: string; title: string; contactBy: string }) =>
    `已受理，编号 #${p.number}。\n由${p.department}${p.cadre}${p.title ? `（${p.title}）` : ''}负责，` +
    `预计 ${p.contactBy} 前联系您。\n有补充请直接留言。`,

  followUpForwarded: (p: { number: number; cadre: string }) => `收到，已转给负责 #${p.number} 的${p.cadre}。`,

  cadreNewCase: (p: {
    number: number;
    village: string;
    department: string;
    urgent: boolean;
    resident: string;
    text: string;
    receivedAt: string;
    acceptBy: string;
    respondBy: string;
    resolveBy: string;
    note: string | null;
  }) =>
    `【新案件 #${p.number}】${p.urgent ? '【紧急】' : ''}${p.village} · ${p.department}\n` +
    (p.note ? `${p.note}\n` : '') +
    `群众：${p.resident}\n内容：${quote(p.text)}\n收到：${p.receivedAt}\n` +
    `时限：${p.acceptBy} 前接单，${p.respondBy} 前回复群众，${p.resolveBy} 前办结。`,

  cadreFollowUp: (p: { number: number; village: string; resident: string; text: string }) =>
    `【#${p.number} 群众补充】${p.village} ${p.resident}：${quote(p.text)}`,

  cadreMediaFollows: (p: { number: number; what: string }) => `【#${p.number}】群众发来${p.what}，见下条。`,

  notesForCadre: {
    unclear: '（群众不清楚该找哪个部门，请办公室分派）',
    backup: '（值班干部不在岗，由您作为备岗接手）',
    head: '（值班和备岗干部都不在岗，请部门负责人安排）',
    office: '（该部门今日无人在岗，请办公室安排）',
  },

  cadreGreeting: (name: string) =>
    `${name}您好！群众的事项会由“连心”自动派给在岗干部，派给您时会在这里通知。`,
};

/** How a media message is named in chat. */
export const mediaNames: Record<string, string> = {
  voice: '一条语音',
  image: '一张图片',
  video: '一段视频',
  file: '一个文件',
  location: '一个位置',
  other: '一条消息',
};
