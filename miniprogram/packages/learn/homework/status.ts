import type { HomeworkStatus } from '../../../../domain/learning/model';

/** How a homework's state reads to its learner, and the tag's colour. */
export const STATUS_LABELS: Record<HomeworkStatus, { text: string; theme: 'default' | 'primary' | 'warning' | 'danger' | 'success' }> = {
  checking: { text: '审核中', theme: 'default' },
  held: { text: '人工复核中', theme: 'warning' },
  returned: { text: '需修改', theme: 'danger' },
  submitted: { text: '待批改', theme: 'primary' },
  reviewed: { text: '已批改', theme: 'success' },
};
