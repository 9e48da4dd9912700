import { randomBytes } from 'node:crypto';
import { parseArticle, type ArticleNode } from '../../domain/catalog/article';
import type { Lesson } from '../../domain/catalog/model';
import type { LessonView } from '../../domain/contracts/catalog';
import type { SaveProgressResponse } from '../../domain/contracts/learning';
import { call, ok } from '../support/commerce';
import { connectSdk } from '../support/sdk';

/**
 * What getLesson hands out beyond a single media URL: a video's qualities, an article as whitelisted
 * rich-text nodes, a live lesson's 视频号 live and its replay. Lessons of its own are added to the free
 * course gongkao-intro (not in its outline, so no other test sees them).
 */
const db = connectSdk().database();
const FREE_COURSE = 'gongkao-intro';
const learner = () => `o-content-${randomBytes(5).toString('hex')}`;
const STORAGE_PREFIX = 'cloud://local-env.6c6f-local-env-1300000000/demo/';

async function addLesson(fields: Partial<Lesson> & Pick<Lesson, 'type'>): Promise<string> {
  const id = `test-${fields.type}-${randomBytes(5).toString('hex')}`;
  await db.collection('lessons').add({ data: { _id: id, courseId: FREE_COURSE, chapterIndex: 0, order: 99, title: '测试课时', durationSec: 600, trial: false, ...fields } });
  return id;
}
const lessonOf = (openid: string, lessonId: string, quality?: string) => ok<LessonView>(openid, 'getLesson', { lessonId, ...(quality ? { quality } : {}) });
const served = async (url: string) => (await fetch(url, { headers: { range: 'bytes=0-99' } })).status;

describe('media qualities', () => {
  const LESSON = 'excel-basics-01';

  it('lists the qualities, plays the default, and hands out the one the learner picks', async () => {
    const me = learner();
    const { data: first } = await lessonOf(me, LESSON);
    expect(first.qualities).toEqual([
      { id: 'hd', label: '高清' },
      { id: 'sd', label: '标清' },
    ]);
    expect(first.media).toMatchObject({ quality: 'hd', url: expect.stringMatching(/\/demo\/lesson-office\.mp4\?sign=/) });

    const { data: sd } = await lessonOf(me, LESSON, 'sd');
    expect(sd.media).toMatchObject({ quality: 'sd', url: expect.stringMatching(/\/demo\/lesson-office-sd\.mp4\?sign=/) });
    expect(await served(sd.media!.url)).toBe(206);
  });

  it('plays the default for a quality the lesson no longer has, and refuses a malformed one', async () => {
    const me = learner();
    expect((await lessonOf(me, LESSON, 'uhd')).data.media?.quality).toBe('hd');
    const { reply } = await call(me, 'getLesson', { lessonId: LESSON, quality: 'HD!' });
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('清晰度不存在') });
  });

  it('renews the URL of the quality playing when a save checks access again', async () => {
    const me = learner();
    await lessonOf(me, LESSON, 'sd');
    // No state: the save checks access again, as the one every 7.5 minutes does.
    const { data: saved } = await ok<SaveProgressResponse>(me, 'saveProgress', { lessonId: LESSON, ranges: [], positionSec: 3, quality: 'sd' });
    expect(saved.media).toMatchObject({ quality: 'sd', url: expect.stringMatching(/lesson-office-sd\.mp4/) });
    const { data: again } = await ok<SaveProgressResponse>(me, 'saveProgress', { lessonId: LESSON, ranges: [], positionSec: 4 });
    expect(again.media).toMatchObject({ quality: 'hd' });
  });

  it('keeps a lesson written before qualities playing its single file, with no switch', async () => {
    const { data } = await lessonOf(learner(), 'excel-basics-02');
    expect(data.qualities).toBeUndefined();
    expect(data.media?.quality).toBeUndefined();
    expect(data.media?.url).toMatch(/lesson-office\.mp4/);
  });
});

describe('articles written in the editor', () => {
  const HOSTILE = [
    '<h2 onclick="steal()">标题</h2>',
    '<p style="position:fixed" class="x">正文<script>alert(1)</script><mark onmouseover="x()">要点一</mark></p>',
    '<style>p{display:none}</style><iframe src="https://evil.example"></iframe>',
    `<img src="javascript:alert(1)"><img src="https://evil.example/a.png"><img src="${STORAGE_PREFIX}cover-talk-meeting.jpg" onerror="alert(1)" alt="图">`,
    '<a href="javascript:alert(1)">链接文字</a><ul><li><b>加粗</b></li></ul><SCRIPT>bad()</SCRIPT><!-- <script>x</script> -->',
    '<p>未闭合<mark>要点二',
  ].join('');

  /** Every element and attribute in a node tree. */
  function walk(nodes: ArticleNode[], seen: { names: Set<string>; attrs: Set<string>; text: string[] } = { names: new Set(), attrs: new Set(), text: [] }) {
    for (const node of nodes) {
      if ('type' in node) {
        seen.text.push(node.text);
        continue;
      }
      seen.names.add(node.name);
      for (const key of Object.keys(node.attrs ?? {})) seen.attrs.add(key);
      walk(node.children ?? [], seen);
    }
    return seen;
  }

  it('keeps only whitelisted tags and attributes: no script, style, event handlers or javascript: URLs', () => {
    const { nodes, highlights, fileIds } = parseArticle(HOSTILE);
    const seen = walk(nodes);
    expect([...seen.names].every((n) => ['p', 'h2', 'h3', 'strong', 'em', 'ul', 'ol', 'li', 'blockquote', 'br', 'img', 'mark'].includes(n))).toBe(true);
    expect([...seen.attrs].sort()).toEqual(['alt', 'class', 'src']);
    const text = seen.text.join('');
    expect(text).toContain('链接文字');
    expect(text).not.toMatch(/alert|bad\(\)|display:none|steal/);
    expect(JSON.stringify(nodes)).not.toMatch(/javascript:|on(click|error|mouseover)|style|evil\.example|iframe|script/i);
    expect(highlights).toEqual(['要点一', '要点二']);
    expect(fileIds).toEqual([`${STORAGE_PREFIX}cover-talk-meeting.jpg`]);
  });

  it('reaches the learner as nodes whose images are short-lived URLs, never as markup', async () => {
    const lessonId = await addLesson({ type: 'article', durationSec: 0, articleHtml: HOSTILE });
    const { data } = await lessonOf(learner(), lessonId);
    expect(data.article).toBeUndefined();
    expect(data.highlights).toEqual(['要点一', '要点二']);
    const json = JSON.stringify(data);
    expect(json).not.toMatch(/<|javascript:|onerror|onclick|script|style=|cloud:\/\//i);
    const images = walk(data.articleNodes!).names.has('img');
    expect(images).toBe(true);
    const img = JSON.stringify(data.articleNodes).match(/"src":"([^"]+)"/)![1]!;
    expect(await served(img)).toBe(206);
  });

  it('still serves a plain article as paragraphs', async () => {
    const { data } = await lessonOf(learner(), 'talk-meeting-01');
    expect(data.article?.split(/\n{2,}/)).toHaveLength(3);
    expect(data.articleNodes).toBeUndefined();
  });
});

describe('live lessons on 视频号', () => {
  const live = { finderUserName: 'sphTestChannel', feedId: 'export/testFeed' };

  it('hands out the channel and the live before it starts, and no media', async () => {
    const liveAt = new Date(Date.now() + 3_600_000);
    const lessonId = await addLesson({ type: 'live', durationSec: 5400, liveAt, live: { ...live, replay: { fileId: `${STORAGE_PREFIX}lesson-exam.mp4` } } });
    const { data } = await lessonOf(learner(), lessonId);
    expect(new Date(data.liveAt!).getTime()).toBe(liveAt.getTime());
    expect(data.live).toEqual({ ...live, endsAt: new Date(liveAt.getTime() + 5400_000).toISOString() });
    expect(data.media).toBeUndefined();
  });

  it('plays the replay as a recorded video once the live is over', async () => {
    const lessonId = await addLesson({ type: 'live', liveAt: new Date(Date.now() - 86_400_000), live: { ...live, replay: { fileId: `${STORAGE_PREFIX}lesson-exam.mp4` } } });
    const { data } = await lessonOf(learner(), lessonId);
    expect(data.live?.finderUserName).toBe('sphTestChannel');
    expect(await served(data.media!.url)).toBe(206);
    expect(data.progress).toBeDefined();
  });

  it('lists the demo lives with their channel, and their replay once given', async () => {
    const lessons = (await db.collection<Lesson>('lessons').where({ type: 'live' }).get()).data.filter((l) => !l._id.startsWith('test-'));
    expect(lessons.length).toBeGreaterThan(0);
    for (const lesson of lessons) expect(lesson.live?.finderUserName).toMatch(/^sph\w+$/);
    expect(lessons.find((l) => l._id === 'ielts-live-01')?.live).toMatchObject({ feedId: expect.any(String), replay: { fileId: expect.stringContaining('cloud://') } });
  });
});
