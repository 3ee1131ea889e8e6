import type { InquiryCategory, InquiryStatus } from '@tsunagu/contracts';
import type { Msg } from '@tsunagu/web';

/** Inquiry categories as people read them. */
export const INQUIRY_CATEGORY_LABELS: Record<InquiryCategory, Msg> = {
  usage: { ja: '使い方について', en: 'How to use the platform' },
  consent: { ja: '同意・提供について', en: 'Consents and provisions' },
  personal_data: { ja: '個人情報の取扱い・開示等について', en: 'Handling of personal data, disclosure' },
  incident: { ja: '事故・不正利用の連絡', en: 'Reporting an incident or misuse' },
  service: { ja: '連携サービスについて', en: 'Connected services' },
  other: { ja: 'その他', en: 'Other' },
};

/** 受付 / 対応中 / 完了 */
export const INQUIRY_STATUS_LABELS: Record<InquiryStatus, Msg> = {
  received: { ja: '受付', en: 'Received' },
  in_progress: { ja: '対応中', en: 'In progress' },
  closed: { ja: '完了', en: 'Closed' },
};

/** The words of the inquiry pages (the portal's form, its receipt, the lookup). */
export const inquiryText = {
  title: { ja: 'お問い合わせフォーム', en: 'Inquiry form' },
  lead: {
    ja: 'このフォームは24時間365日受け付けます。回答は平日9時〜17時に順次行います。ログインしなくても送信できます。',
    en: 'This form is open 24/7. We answer on weekdays between 9:00 and 17:00 (Japan time). You can send it without signing in.',
  },
  signedIn: { ja: 'ログイン中のアカウントに紐づけて送信します。回答はポータルの「お問い合わせ」で確認できます。', en: 'Sent with your account: read the answer under “Inquiries” in the portal.' },
  signIn: { ja: 'ログインして送信すると、回答をポータルで確認できます。', en: 'Sign in first to read the answer in the portal.' },
  signInLink: { ja: 'ログインする', en: 'Sign in' },
  category: { ja: 'お問い合わせの種類', en: 'Category' },
  desk: { ja: '宛先', en: 'Desk' },
  platformDesk: { ja: '基盤の窓口（鳥取県）', en: 'The platform desk (Tottori Prefecture)' },
  message: { ja: 'お問い合わせ内容（2000文字まで・HTMLは使えません）', en: 'Message (up to 2,000 characters, no HTML)' },
  name: { ja: 'お名前（任意）', en: 'Name (optional)' },
  contact: { ja: 'ご連絡先（メールアドレスまたは電話番号・任意）', en: 'How to reach you (mail or phone, optional)' },
  send: { ja: '送信する', en: 'Send' },
  receivedTitle: { ja: 'お問い合わせを受け付けました', en: 'Your inquiry is received' },
  receiptNo: { ja: '受付番号', en: 'Receipt number' },
  key: { ja: '確認キー', en: 'Key' },
  keep: {
    ja: '受付番号と確認キーは、回答の確認に必要です。この画面でしか表示されませんので、控えてください。',
    en: 'Keep the receipt number and the key: you need both to read the answer, and they are shown only now.',
  },
  statusTitle: { ja: 'お問い合わせの回答を確認', en: 'Read the answer to your inquiry' },
  check: { ja: '確認する', en: 'Check' },
  status: { ja: '状況', en: 'Status' },
  replies: { ja: '回答', en: 'Answers' },
  noReplies: { ja: 'まだ回答はありません。平日9時〜17時に順次回答します。', en: 'No answer yet. We answer on weekdays, 9:00–17:00.' },
  sentAt: { ja: '受付日時', en: 'Received' },
  mine: { ja: 'お問い合わせ', en: 'Inquiries' },
  none: { ja: 'お問い合わせはありません。', en: 'You have sent no inquiry.' },
  newOne: { ja: '新しく問い合わせる', en: 'Send a new inquiry' },
  checkOther: { ja: '受付番号で回答を確認する', en: 'Check an answer with a receipt number' },
} satisfies Record<string, Msg>;
