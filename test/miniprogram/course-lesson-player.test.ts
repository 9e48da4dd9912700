import { newLearner, renderPage } from '../support/miniprogram';
import { boughtElsewhere } from '../support/pages';
import { videoCalls } from '../support/wx/video';

/** The lesson page's player: the watermark on paid media, capture protection, speeds, and the next lesson at the end. */
const LESSON = 'excel-basics-03';

async function buyerOnLesson(lessonId = LESSON) {
  const me = newLearner();
  await boughtElsewhere(me, { courseId: 'excel-basics' });
  const page = renderPage('packages/course/lesson/index', { openid: me, query: { id: lessonId } });
  await page.settle();
  return { me, page };
}

describe('the lesson player', () => {
  it('overlays the learner’s nickname and number on paid video, never the openid, and hides it from captures', async () => {
    const { me, page } = await buyerOnLesson();
    const watermark = page.text('.lesson__watermark');
    expect(watermark).toMatch(new RegExp(`^学员${me.slice(-4)} \\d{8}$`));
    expect(watermark).not.toContain(me);
    expect(page.wxCalls('setVisualEffectOnCapture')).toEqual([{ visualEffect: 'hidden' }]);
    page.unload();
    expect(page.wxCalls('setVisualEffectOnCapture')).toEqual([{ visualEffect: 'hidden' }, { visualEffect: 'none' }]);
  });

  it('leaves a free trial without a watermark', async () => {
    const page = renderPage('packages/course/lesson/index', { openid: newLearner(), query: { id: 'excel-basics-01' } });
    await page.settle();
    expect(page.exists('.lesson__video')).toBe(true);
    expect(page.exists('.lesson__watermark')).toBe(false);
    expect(page.wxCalls('setVisualEffectOnCapture')).toEqual([]);
  });

  it('plays at the speed the learner picks', async () => {
    const { page } = await buyerOnLesson();
    expect(page.text('.lesson__rates')).toBe('倍速0.5x0.8x1x1.25x1.5x2x');
    expect(page.text('.lesson__rate--on')).toBe('1x');
    page.component.querySelectorAll('.lesson__rate')[4]!.dispatchEvent('tap');
    await page.settle();
    expect(page.text('.lesson__rate--on')).toBe('1.5x');
  });

  it('goes on to the next lesson of the course when the video ends', async () => {
    const { page } = await buyerOnLesson();
    page.component.querySelector('.lesson__video')!.dispatchEvent('ended', {});
    await page.settle();
    expect(page.wxCalls('redirectTo')).toEqual([{ url: '/packages/course/lesson/index?id=excel-basics-04' }]);
  });

  it('switches quality where the learner is and plays on, and opens the next time in that quality', async () => {
    const me = newLearner();
    const page = renderPage('packages/course/lesson/index', { openid: me, query: { id: 'excel-basics-01' } });
    await page.settle();
    expect(page.text('.lesson__qualities')).toBe('清晰度高清标清');
    expect(page.text('.lesson__quality--on')).toBe('高清');
    expect(String(page.data.mediaUrl)).toMatch(/\/demo\/lesson-office\.mp4\?/);

    const video = page.component.querySelector('.lesson__video')!;
    video.dispatchEvent('play', {});
    for (let t = 0; t <= 4; t += 0.25) video.dispatchEvent('timeupdate', { detail: { currentTime: t, duration: 300 } });
    await page.settle();
    page.component.querySelectorAll('.lesson__quality')[1]!.dispatchEvent('tap');
    await page.settle();
    expect(page.text('.lesson__quality--on')).toBe('标清');
    expect(String(page.data.mediaUrl)).toMatch(/\/demo\/lesson-office-sd\.mp4\?/);
    // The new source is ready: the player goes back to the same second and keeps playing.
    page.component.querySelector('.lesson__video')!.dispatchEvent('loadedmetadata', {});
    await page.settle();
    expect(videoCalls().map((c) => [c.method, ...c.args])).toEqual([['seek', 4], ['play']]);
    page.unload();

    const again = renderPage('packages/course/lesson/index', { openid: me, query: { id: 'excel-basics-01' } });
    await again.settle();
    expect(again.text('.lesson__quality--on')).toBe('标清');
  });
});
