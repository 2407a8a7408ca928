import { RAG_LABELS, REPORT_FIELD_LABELS, type LocalDate, type Rag } from '../domain/index.js';
import type { ReportCardView, RoundProgressView } from '../services/theme-reports.js';
import { formatDate, plainText, type CardNotice } from './format.js';
import { renderCard, type AdaptiveCardJson } from './render.js';
import { REPORT_VERBS } from './verbs.js';

export interface ReportPromptData {
  readonly heading: string;
  readonly hasNotice: boolean;
  readonly notice: string;
  readonly noticeStyle: string;
  readonly reportId: string;
  readonly themeName: string;
  readonly meetingLabel: string;
  readonly deadlineLabel: string;
  readonly versionLabel: string;
  readonly editable: boolean;
  readonly progress: string;
  readonly asks: string;
  readonly risks: string;
  readonly data: string;
  readonly rag: Rag | '';
  readonly progressShown: string;
  readonly asksShown: string;
  readonly risksShown: string;
  readonly dataShown: string;
  readonly ragLabel: string;
  readonly submitTitle: string;
  readonly labels: typeof REPORT_FIELD_LABELS;
  readonly verbs: typeof REPORT_VERBS;
}

export type ReportCardPurpose = 'prompt' | 'chase' | 'opened';

const HEADINGS: Record<ReportCardPurpose, string> = {
  prompt: 'Your theme report for the next Exec',
  chase: 'Reminder: your theme report is still to come',
  opened: 'Your theme report',
};

/** `draft` keeps what the lead typed when the server refused it, so nothing they wrote is lost. */
export function toReportPromptData(view: ReportCardView, purpose: ReportCardPurpose, notice?: CardNotice, draft?: Partial<Record<'progress' | 'asks' | 'risks' | 'data' | 'rag', string>>): ReportPromptData {
  const content = view.content;
  const value = (k: 'progress' | 'asks' | 'risks' | 'data') => draft?.[k] ?? content?.[k] ?? '';
  const rag = (draft?.rag ?? content?.rag ?? '') as Rag | '';
  const shown = (k: 'progress' | 'asks' | 'risks' | 'data') => (content?.[k] ? plainText(content[k]) : 'Nothing entered.');
  return {
    heading: HEADINGS[purpose],
    hasNotice: notice !== undefined,
    notice: notice?.text ?? '',
    noticeStyle: notice?.tone ?? 'default',
    reportId: view.reportId,
    themeName: plainText(view.themeName),
    meetingLabel: view.meetingDate ? `Exec, ${formatDate(view.meetingDate)}` : 'The next Exec',
    deadlineLabel: formatDate(view.deadline),
    versionLabel:
      view.versionCount === 0 ? 'Not yet submitted' : `Version ${view.versionCount}, ${formatDate(view.lastSavedAt?.slice(0, 10) ?? null)}`,
    editable: view.editable,
    progress: value('progress'),
    asks: value('asks'),
    risks: value('risks'),
    data: value('data'),
    rag,
    progressShown: shown('progress'),
    asksShown: shown('asks'),
    risksShown: shown('risks'),
    dataShown: shown('data'),
    ragLabel: content ? `RAG rating: ${RAG_LABELS[content.rag]}` : 'No RAG rating.',
    submitTitle: view.versionCount === 0 ? 'Submit report' : 'Save changes',
    labels: REPORT_FIELD_LABELS,
    verbs: REPORT_VERBS,
  };
}

export function reportPromptCard(view: ReportCardView, purpose: ReportCardPurpose, notice?: CardNotice, draft?: Parameters<typeof toReportPromptData>[3]): AdaptiveCardJson {
  return renderCard('report-prompt', toReportPromptData(view, purpose, notice, draft));
}

/** The Exec channel's card: counts and theme titles only. No report text, no names. */
export interface RoundProgressData {
  readonly heading: string;
  readonly countLabel: string;
  readonly deadlineLabel: string;
  readonly themes: readonly { readonly name: string; readonly state: string }[];
}

export function toRoundProgressData(view: RoundProgressView, today: LocalDate): RoundProgressData {
  return {
    heading: `Theme reports for the Exec on ${formatDate(view.meetingDate)}`,
    countLabel: `${view.reported} of ${view.total} themes reported`,
    deadlineLabel: today > view.deadline ? `The deadline (${formatDate(view.deadline)}) has passed.` : `Deadline for papers: ${formatDate(view.deadline)}.`,
    themes: view.themes.map((t) => ({ name: plainText(t.name), state: t.reported ? 'Reported' : 'Waiting' })),
  };
}

export function roundProgressCard(view: RoundProgressView, today: LocalDate): AdaptiveCardJson {
  return renderCard('round-progress', toRoundProgressData(view, today));
}
