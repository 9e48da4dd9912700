import { PERMISSIONS, ROLES, teacherScoped } from '../../domain/staff/roles';
import { outlineRequest, move, type ChapterDraft } from '../../cms/src/pages/courses/editor/draft';
import { actionFor, landingFor, menusFor, NAV } from '../../cms/src/router/nav';
import { usePaged } from '../../cms/src/paged';
import type { Reply } from '../../domain/contracts/result';

/** The console's pure parts: its menus from the role table, and the outline editor's request. */
describe('the console menus', () => {
  it('shows each role exactly the screens its actions allow', () => {
    for (const role of ROLES) {
      const shown = menusFor([role]).flatMap((s) => s.items.map((i) => i.path));
      const allowed = NAV.flatMap((s) => s.items).filter((i) => (PERMISSIONS[i.action] as readonly string[]).includes(role));
      expect([role, shown]).toEqual([role, allowed.map((i) => i.path)]);
    }
    expect(menusFor(['teacher']).map((s) => s.title)).toEqual(['学员与教学']);
    expect(menusFor(['editor', 'support']).flatMap((s) => s.items.map((i) => i.title))).toContain('退款审核');
  });

  it('lands each role on its first screen, and guards a screen’s sub-pages with its action', () => {
    expect(ROLES.map((role) => landingFor([role]))).toEqual(['/dashboard', '/dashboard', '/learners', '/dashboard']);
    expect(landingFor([])).toBeUndefined();
    expect(actionFor('/courses/abc')).toBe('catalog.edit');
    expect(actionFor('/orders/O1')).toBe('orders.read');
    expect(actionFor('/coursesX')).toBeUndefined();
  });
});

describe('a teacher’s courses', () => {
  it('limit an action when teacher is the only role of the member’s allowing it', () => {
    expect(teacherScoped(['teacher'], 'homework.review')).toBe(true);
    expect(teacherScoped(['teacher'], 'learners.read')).toBe(true);
    // Support see every learner; homework is still the teacher's alone.
    expect(teacherScoped(['teacher', 'support'], 'learners.read')).toBe(false);
    expect(teacherScoped(['support', 'teacher'], 'homework.review')).toBe(true);
    expect(teacherScoped(['owner', 'teacher'], 'homework.review')).toBe(false);
    expect(teacherScoped(['support'], 'learners.read')).toBe(false);
    expect(teacherScoped(['editor', 'teacher'], 'catalog.edit')).toBe(false);
  });
});

describe('the outline editor', () => {
  it('sends the outline without its keys or empty fields', () => {
    const chapters: ChapterDraft[] = [
      { key: 'c1', title: '第一章', lessons: [{ key: 'l1', title: '开篇', type: 'video', trial: true, durationSec: 60, media: { fileId: 'cloud://e.b/v.mp4' }, articleHtml: undefined, liveAt: undefined }] },
    ];
    expect(outlineRequest('c-1', chapters)).toEqual({
      courseId: 'c-1',
      chapters: [{ title: '第一章', lessons: [{ title: '开篇', type: 'video', trial: true, durationSec: 60, media: { fileId: 'cloud://e.b/v.mp4' } }] }],
    });
  });

  it('moves a lesson up and down, never out of the list', () => {
    const list = ['a', 'b', 'c'];
    move(list, 2, 0);
    expect(list).toEqual(['c', 'a', 'b']);
    move(list, 0, 3);
    expect(list).toEqual(['c', 'a', 'b']);
  });
});

describe('a paged console list', () => {
  it('shows what the latest request asked for, even when an earlier one answers last', async () => {
    const answers: Array<(page: number) => void> = [];
    const list = usePaged(
      (page) => new Promise<Reply<{ page: number; hasMore: boolean; items: string[] }>>((done) => answers.push((p) => done({ ok: true, data: { page: p, hasMore: false, items: [`filter ${page}`] } }))),
      (d) => d.items,
      '暂无内容',
    );
    const first = list.load(1);
    const second = list.load(2);
    answers[1]!(2);
    await second;
    answers[0]!(1);
    await first;
    expect([list.rows.value, list.page.value, list.loading.value]).toEqual([['filter 2'], 2, false]);
  });
});
