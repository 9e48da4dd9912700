/**
 * Writes the demo school into database/demo/*.jsonl (the CloudBase console's import format): three
 * audiences, 14 courses, 5 lecturers, 158 lessons, reviews, banners and 2 membership plans. Every pricing
 * rule shows somewhere: list and sale prices, courses included in membership, a member price
 * (photo-portrait), an upgrade price from an entry course (excel-advanced after excel-basics), a free
 * course. Deterministic: running it twice
 * writes the same files. Media refer to database/demo/media/, uploaded to storage under `demo/`.
 *   npx tsx scripts/demo/school.ts
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
  Assignment,
  Banner,
  Category,
  Chapter,
  Course,
  CourseForm,
  CourseTier,
  Lecturer,
  Lesson,
  LessonType,
  MediaQuality,
  PriceModel,
  RefundRule,
  Review,
  Schedule,
  ScheduleSession,
} from '../../domain/catalog/model';
import type { Plan } from '../../domain/membership/plans';
import { searchTextOf } from '../../domain/catalog/courses';
import { publicIdOf } from '../../domain/moderation/queue';

const root = resolve(__dirname, '../..');
/**
 * The demo media are uploaded to the emulator's storage under `demo/` on its first run; in the console
 * import format a file is referenced by the file ID that storage gives it in the `local-env` environment.
 */
const DEMO_STORAGE_PREFIX = 'cloud://local-env.6c6f-local-env-1300000000/demo/';
const demoFileId = (name: string) => `${DEMO_STORAGE_PREFIX}${name}`;
const DAY = 86_400_000;
/** The demo school's "now": dates are spread before and after it. */
const ORIGIN = Date.parse('2026-11-01T00:00:00.000Z');
const at = (days: number, hours = 0) => new Date(ORIGIN + days * DAY + hours * 3_600_000);

const categories: Category[] = [
  { _id: 'cat-excel', name: 'Excel 与数据', audience: 'office', order: 1 },
  { _id: 'cat-ppt', name: 'PPT 与汇报', audience: 'office', order: 2 },
  { _id: 'cat-talk', name: '职场沟通', audience: 'office', order: 3 },
  { _id: 'cat-kaoyan', name: '考研', audience: 'exam', order: 4 },
  { _id: 'cat-abroad', name: '雅思留学', audience: 'exam', order: 5 },
  { _id: 'cat-gongkao', name: '公考', audience: 'exam', order: 6 },
  { _id: 'cat-photo', name: '摄影', audience: 'hobby', order: 7 },
  { _id: 'cat-calligraphy', name: '书法', audience: 'hobby', order: 8 },
  { _id: 'cat-music', name: '乐器', audience: 'hobby', order: 9 },
];

const lecturers: Lecturer[] = [
  {
    _id: 'lec-wang',
    name: '王思远',
    title: '微软 Office 认证讲师 · 前四大审计经理',
    bio: '十年财务与数据分析经验，把复杂的表格问题拆成人人能学会的小步骤。已帮助 3 万名职场人告别加班。',
    avatar: demoFileId('avatar-wang.jpg'),
  },
  {
    _id: 'lec-chen',
    name: '陈静',
    title: '前咨询公司项目经理 · 沟通教练',
    bio: '主持过上百场高层汇报，擅长结构化表达与向上沟通，课程以真实职场场景练习为主。',
    avatar: demoFileId('avatar-chen.jpg'),
  },
  {
    _id: 'lec-li',
    name: '李明轩',
    title: '考研英语名师 · 雅思口语 8 分',
    bio: '从事考研与留学英语教学十二年，主张用真题讲方法、用打卡养习惯。',
    avatar: demoFileId('avatar-li.jpg'),
  },
  {
    _id: 'lec-zhao',
    name: '赵一鸣',
    title: '商业摄影师 · 独立音乐人',
    bio: '为多个生活方式品牌拍摄广告片，业余组乐队。相信好作品来自对光与节奏的感受。',
    avatar: demoFileId('avatar-zhao.jpg'),
  },
  {
    _id: 'lec-zhou',
    name: '周墨',
    title: '中国书法家协会会员',
    bio: '临池三十年，楷行兼修。教学从笔画到结构循序渐进，适合零基础的成年人。',
    avatar: demoFileId('avatar-zhou.jpg'),
  },
];

interface CourseSpec {
  id: string;
  cover: string;
  title: string;
  subtitle: string;
  categoryId: string;
  lecturerId: string;
  form: CourseForm;
  tier: CourseTier;
  price: PriceModel;
  refundRule?: RefundRule;
  featured?: boolean;
  /** days from ORIGIN */
  publishedDay: number;
  sales: number;
  schedule?: Schedule;
  /** chapter title -> lesson titles; a lesson title may be prefixed with its type: "live:", "article:", "audio:" */
  chapters: Array<[string, string[]]>;
  /** how many lessons from the start are free trials */
  trials: number;
}

const yuan = (y: number) => Math.round(y * 100);

/** kaoyan-words: 30 days, a new audio lesson every other day (its first day), the day after for review. */
function wordsCampDays(): ScheduleSession[] {
  return Array.from({ length: 30 }, (_v, d) => {
    const lesson = Math.floor(d / 2);
    const words = `${lesson * 130 + 1}-${(lesson + 1) * 130}`;
    return {
      title: `第 ${d + 1} 天`,
      startAt: at(20 + d, 0),
      durationMin: 20,
      ...(d % 2 === 0 ? { lessonIds: [`kaoyan-words-${String(lesson + 1).padStart(2, '0')}`] } : {}),
      task: d % 2 === 0 ? `听完核心词 ${words}，默写其中 20 个。` : `复习核心词 ${words}，把昨天默写错的词各造一个句子。`,
    };
  });
}

/** pen-camp: 21 days; the opening live, then a new lesson every other day, practice days between, the final work on the last day. */
function penCampDays(): ScheduleSession[] {
  const lessons = ['撇与捺', '点与折', '独体字', '左右结构', '上下结构', '包围结构', '常用字 100', '写一句诗'];
  return Array.from({ length: 21 }, (_v, d): ScheduleSession => {
    if (d === 0) return { title: '开营直播：握笔与坐姿', startAt: at(10, 12), durationMin: 45, lessonIds: ['pen-camp-01', 'pen-camp-02'], task: '按直播里的坐姿和握笔，在田字格里写“十、王、丰、三”各 5 遍，拍照打卡。' };
    if (d === 20) return { title: '第 21 天 · 结营作品', startAt: at(30, 0), durationMin: 60, lessonIds: ['pen-camp-11'], task: '写一首完整的诗作为结营作品，拍照打卡。' };
    const lesson = d % 2 === 0 && d / 2 <= lessons.length ? d / 2 : 0;
    return lesson
      ? { title: `第 ${d + 1} 天 · ${lessons[lesson - 1]}`, startAt: at(10 + d, 0), durationMin: 30, lessonIds: [`pen-camp-${String(lesson + 2).padStart(2, '0')}`], task: `看「${lessons[lesson - 1]}」，照课上的字帖临写一页，拍照打卡。` }
      : { title: `第 ${d + 1} 天 · 练习`, startAt: at(10 + d, 0), durationMin: 20, task: '复习学过的笔画和结构，写满一页田字格，圈出你最满意的三个字。' };
  });
}
const standardRefund: RefundRule = { withinDays: 7, maxProgress: 0.3 };

const specs: CourseSpec[] = [
  {
    id: 'excel-basics',
    cover: 'cover-excel-basics.jpg',
    title: 'Excel 零基础到高效办公',
    subtitle: '12 节课掌握日常办公 90% 的表格技巧',
    categoryId: 'cat-excel',
    lecturerId: 'lec-wang',
    form: 'video',
    tier: 'entry',
    price: { amount: yuan(9.9), originalAmount: yuan(49), includedInMembership: true, groupBuy: { amount: yuan(6.9), size: 3 } },
    featured: true,
    publishedDay: -120,
    sales: 12860,
    chapters: [
      ['第一章 认识 Excel', ['界面与基本操作', '数据录入的五个好习惯', '单元格格式一次讲透', '排序与筛选']],
      ['第二章 常用函数', ['SUM 与 AVERAGE：从求和开始', 'IF 函数：让表格会判断', 'VLOOKUP：跨表查找', '文本函数整理脏数据']],
      ['第三章 图表与打印', ['一键生成专业图表', '条件格式让数据说话', '打印设置不再出错', '综合练习：月度报表']],
    ],
    trials: 2,
  },
  {
    id: 'excel-advanced',
    cover: 'cover-excel-advanced.jpg',
    title: 'Excel 数据透视与函数进阶',
    subtitle: '从会用到精通：数据分析师的日常工具箱',
    categoryId: 'cat-excel',
    lecturerId: 'lec-wang',
    form: 'video',
    tier: 'advanced',
    price: { amount: yuan(199), includedInMembership: false, upgrade: { fromCourseId: 'excel-basics', amount: yuan(169) }, groupBuy: { amount: yuan(149), size: 2 } },
    featured: true,
    publishedDay: -60,
    sales: 3420,
    chapters: [
      ['第一章 数据透视表', ['透视表的底层逻辑', '分组与计算字段', '切片器与日程表', '多表合并透视']],
      ['第二章 高级函数', ['INDEX + MATCH 组合', 'XLOOKUP 新一代查找', 'SUMIFS 多条件汇总', '数组公式入门']],
      ['第三章 Power Query', ['导入与清洗数据', '合并查询与追加', '参数化查询', '自动刷新的报表']],
      ['第四章 实战项目', ['销售看板（上）', '销售看板（下）', '预算与实际对比', '结课作业讲评']],
    ],
    trials: 1,
  },
  {
    id: 'ppt-camp',
    cover: 'cover-ppt-camp.jpg',
    title: 'PPT 汇报设计 7 天训练营',
    subtitle: '录播 + 直播 + 每日打卡，7 天做出一份拿得出手的汇报',
    categoryId: 'cat-ppt',
    lecturerId: 'lec-chen',
    form: 'camp',
    tier: 'entry',
    price: { amount: yuan(99), originalAmount: yuan(199), includedInMembership: false },
    refundRule: { withinDays: 3, maxProgress: 0.2 },
    featured: true,
    publishedDay: -10,
    sales: 860,
    schedule: {
      startAt: at(30, 12),
      endAt: at(37, 12),
      sessions: [
        { title: '开营直播：汇报的结构', startAt: at(30, 12), durationMin: 60, lessonIds: ['ppt-camp-01', 'ppt-camp-02'], task: '用一页纸写下你下周要汇报的一件事：结论、三个理由、你需要的支持。' },
        { title: 'Day 2 配色与字体的底线', startAt: at(31, 0), durationMin: 30, lessonIds: ['ppt-camp-03'], task: '把一页旧 PPT 改成不超过 3 种颜色、2 种字体，打卡晒改前改后。' },
        { title: 'Day 3 图表代替文字', startAt: at(32, 0), durationMin: 30, lessonIds: ['ppt-camp-04'], task: '找一页全是文字的 PPT，用一张图表重做它。' },
        { title: 'Day 4 版式的对齐与留白', startAt: at(33, 0), durationMin: 30, lessonIds: ['ppt-camp-05'], task: '检查你的汇报每一页的对齐线，删掉一处多余的元素。' },
        { title: 'Day 5 用故事串起数据', startAt: at(34, 0), durationMin: 30, lessonIds: ['ppt-camp-06'], task: '用“背景—冲突—方案—结果”重排汇报的页面顺序，写下你的故事线。' },
        { title: 'Day 6 演讲与节奏', startAt: at(35, 0), durationMin: 30, lessonIds: ['ppt-camp-07'], task: '对着手机把汇报讲一遍并计时，控制在 5 分钟以内。' },
        { title: '结营直播：作品点评', startAt: at(36, 12), durationMin: 90, lessonIds: ['ppt-camp-08'], task: '提交你的最终版汇报，写下这 7 天最大的一个改变。' },
      ],
    },
    chapters: [
      [
        '7 天训练',
        [
          'live:开营直播：汇报的结构',
          'Day 1 一页纸讲清一件事',
          'Day 2 配色与字体的底线',
          'Day 3 图表代替文字',
          'Day 4 版式的对齐与留白',
          'Day 5 用故事串起数据',
          'Day 6 演讲与节奏',
          'live:结营直播：作品点评',
        ],
      ],
    ],
    trials: 2,
  },
  {
    id: 'talk-persuade',
    cover: 'cover-talk-persuade.jpg',
    title: '高效职场沟通：说服与反馈',
    subtitle: '通勤路上听完的 10 堂沟通课',
    categoryId: 'cat-talk',
    lecturerId: 'lec-chen',
    form: 'audio',
    tier: 'entry',
    price: { amount: yuan(49), includedInMembership: true },
    publishedDay: -90,
    sales: 5230,
    chapters: [
      ['上篇 说服', ['audio:先说结论：金字塔原理', 'audio:听懂对方真正的需求', 'audio:用数据说服，而不是用音量', 'audio:处理反对意见', 'audio:邮件里的说服力']],
      ['下篇 反馈', ['audio:给反馈的 SBI 模型', 'audio:如何接受批评', 'audio:向上反馈的分寸', 'audio:难谈话的准备清单', 'audio:复盘：把沟通变成习惯']],
    ],
    trials: 1,
  },
  {
    id: 'talk-meeting',
    cover: 'cover-talk-meeting.jpg',
    title: '向上管理与会议表达',
    subtitle: '8 篇图文，读懂老板在意什么',
    categoryId: 'cat-talk',
    lecturerId: 'lec-chen',
    form: 'article',
    tier: 'entry',
    price: { amount: yuan(29), includedInMembership: true },
    publishedDay: -45,
    sales: 2210,
    chapters: [
      ['图文精读', ['article:老板的三个关注点', 'article:汇报前的五分钟准备', 'article:会议上如何发言不冷场', 'article:提问题而不是提抱怨', 'article:争取资源的说法', 'article:周报怎么写才有人看', 'article:跨部门协作的边界', 'article:一年一次的绩效谈话']],
    ],
    trials: 1,
  },
  {
    id: 'kaoyan-reading',
    cover: 'cover-kaoyan-reading.jpg',
    title: '考研英语阅读精讲',
    subtitle: '近十年真题逐篇精讲，阅读提分 10+',
    categoryId: 'cat-kaoyan',
    lecturerId: 'lec-li',
    form: 'video',
    tier: 'advanced',
    price: { amount: yuan(299), originalAmount: yuan(399), includedInMembership: false, groupBuy: { amount: yuan(249), size: 3 } },
    featured: true,
    publishedDay: -75,
    sales: 4120,
    chapters: [
      ['第一章 方法篇', ['长难句拆解三步法', '定位与同义替换', '主旨题的命题规律', '推理题不靠猜']],
      ['第二章 真题篇（一）', ['2016 Text 1 精讲', '2017 Text 2 精讲', '2018 Text 3 精讲', '2019 Text 4 精讲']],
      ['第三章 真题篇（二）', ['2020 Text 1 精讲', '2021 Text 2 精讲', '2022 Text 3 精讲', '2023 Text 4 精讲']],
      ['第四章 冲刺篇', ['新题型解题策略', '时间分配与做题顺序', '错题本的正确用法', '考前一周怎么练']],
    ],
    trials: 2,
  },
  {
    id: 'kaoyan-words',
    cover: 'cover-kaoyan-words.jpg',
    title: '考研词汇 30 天打卡营',
    subtitle: '每天 20 分钟，30 天过完核心 2000 词',
    categoryId: 'cat-kaoyan',
    lecturerId: 'lec-li',
    form: 'camp',
    tier: 'entry',
    price: { amount: yuan(69), includedInMembership: true, groupBuy: { amount: yuan(39), size: 3 } },
    refundRule: { withinDays: 3, maxProgress: 0.1 },
    publishedDay: -5,
    sales: 1980,
    schedule: { startAt: at(20, 0), endAt: at(50, 0), sessions: wordsCampDays() },
    chapters: [
      [
        '30 天词汇',
        Array.from({ length: 15 }, (_v, i) => `audio:Day ${2 * i + 1}-${2 * i + 2} 核心词 ${i * 130 + 1}-${(i + 1) * 130}`),
      ],
    ],
    trials: 2,
  },
  {
    id: 'ielts-live',
    cover: 'cover-ielts-live.jpg',
    title: '雅思口语 7 分直播课',
    subtitle: '6 次小班直播 + 回放，考官视角纠音',
    categoryId: 'cat-abroad',
    lecturerId: 'lec-li',
    form: 'live',
    tier: 'advanced',
    price: { amount: yuan(399), includedInMembership: false },
    publishedDay: -3,
    sales: 320,
    schedule: {
      startAt: at(14, 12),
      endAt: at(31, 13),
      sessions: Array.from({ length: 6 }, (_v, i) => ({ title: `第 ${i + 1} 次直播`, startAt: at(14 + i * 3, 12), durationMin: 90 })),
    },
    chapters: [
      ['直播', Array.from({ length: 6 }, (_v, i) => `live:第 ${i + 1} 次直播`)],
      ['课前准备', ['评分标准逐条解读', 'Part 1 高频话题', 'Part 2 万能素材', 'Part 3 追问应对']],
    ],
    trials: 0,
  },
  {
    id: 'gongkao-intro',
    cover: 'cover-gongkao-intro.jpg',
    title: '公务员行测入门',
    subtitle: '免费公开课：8 节课摸清行测五大模块',
    categoryId: 'cat-gongkao',
    lecturerId: 'lec-li',
    form: 'video',
    tier: 'entry',
    price: { amount: 0, includedInMembership: true },
    publishedDay: -30,
    sales: 8930,
    chapters: [
      ['行测五大模块', ['考试结构与分值', '言语理解：逻辑填空', '言语理解：片段阅读', '数量关系：代入排除', '判断推理：图形推理', '判断推理：逻辑判断', '资料分析：速算技巧', '常识判断：备考建议']],
    ],
    trials: 0,
  },
  {
    id: 'photo-phone',
    cover: 'cover-photo-phone.jpg',
    title: '手机摄影入门',
    subtitle: '不买相机也能拍出好照片',
    categoryId: 'cat-photo',
    lecturerId: 'lec-zhao',
    form: 'video',
    tier: 'entry',
    price: { amount: yuan(19.9), includedInMembership: true, groupBuy: { amount: yuan(9.9), size: 3 } },
    featured: true,
    publishedDay: -100,
    sales: 9340,
    chapters: [
      ['基础', ['手机相机的每个按钮', '构图：三分法与引导线', '光线：顺光、侧光、逆光', '对焦与曝光锁定', '人像模式怎么用']],
      ['场景', ['拍美食', '拍街头', '拍夜景', '拍孩子与宠物', '后期：一款 App 调好色']],
    ],
    trials: 2,
  },
  {
    id: 'photo-portrait',
    cover: 'cover-photo-portrait.jpg',
    title: '人像摄影用光进阶',
    subtitle: '自然光与闪光灯，拍出有情绪的人像',
    categoryId: 'cat-photo',
    lecturerId: 'lec-zhao',
    form: 'video',
    tier: 'advanced',
    price: { amount: yuan(249), includedInMembership: false, memberAmount: yuan(199) },
    publishedDay: -20,
    sales: 760,
    chapters: [
      ['自然光', ['读懂光的方向与质感', '窗光人像', '黄金时刻外拍', '阴天的柔光']],
      ['人造光', ['一盏灯的布光', '两盏灯的布光', '离机闪光入门', '色温与氛围']],
      ['创作', ['与模特沟通', '情绪与姿态', '后期调色思路', '作品集怎么选片']],
    ],
    trials: 1,
  },
  {
    id: 'pen-camp',
    cover: 'cover-pen-camp.jpg',
    title: '硬笔书法 21 天练字营',
    subtitle: '每天 15 分钟，21 天写出一手好字',
    categoryId: 'cat-calligraphy',
    lecturerId: 'lec-zhou',
    form: 'camp',
    tier: 'entry',
    price: { amount: yuan(59), includedInMembership: true },
    refundRule: { withinDays: 3, maxProgress: 0.15 },
    featured: true,
    publishedDay: -8,
    sales: 3180,
    schedule: { startAt: at(10, 0), endAt: at(31, 0), sessions: penCampDays() },
    chapters: [
      [
        '21 天练字',
        ['live:开营直播：握笔与坐姿', '横与竖', '撇与捺', '点与折', '独体字', '左右结构', '上下结构', '包围结构', '常用字 100', '写一句诗', '结营作品：一首完整的诗'],
      ],
    ],
    trials: 2,
  },
  {
    id: 'brush-kaishu',
    cover: 'cover-brush-kaishu.jpg',
    title: '毛笔书法：楷书入门',
    subtitle: '从欧体基本笔画开始，临出第一张作品',
    categoryId: 'cat-calligraphy',
    lecturerId: 'lec-zhou',
    form: 'video',
    tier: 'advanced',
    price: { amount: yuan(129), includedInMembership: false },
    publishedDay: -50,
    sales: 1240,
    chapters: [
      ['笔画', ['工具与执笔', '横画', '竖画', '撇捺', '点与钩']],
      ['结构与临帖', ['结构八法', '《九成宫》选字（一）', '《九成宫》选字（二）', '集字创作', '装裱与落款']],
    ],
    trials: 1,
  },
  {
    id: 'guitar',
    cover: 'cover-guitar.jpg',
    title: '吉他弹唱零基础',
    subtitle: '会员免费学：12 节课弹唱第一首歌',
    categoryId: 'cat-music',
    lecturerId: 'lec-zhao',
    form: 'video',
    tier: 'entry',
    price: { amount: yuan(79), includedInMembership: true },
    publishedDay: -15,
    sales: 2870,
    chapters: [
      ['入门', ['认识吉他与调音', '右手：拨弦与扫弦', '左手：按弦不疼的秘诀', 'C 与 G 和弦']],
      ['和弦', ['Am 与 Em', 'F 和弦的难关', '常用节奏型', '换和弦不卡顿']],
      ['弹唱', ['选一首适合的歌', '边弹边唱的协调', '变调夹的用法', '完整弹唱一首歌']],
    ],
    trials: 2,
  },
];

/** Demo media per audience: every lesson of a type plays one of these small files. */
const VIDEO_BY_AUDIENCE: Record<string, string> = {
  office: 'lesson-office.mp4',
  exam: 'lesson-exam.mp4',
  hobby: 'lesson-hobby.mp4',
};
const AUDIO = ['lesson-talk-1.m4a', 'lesson-talk-2.m4a'];

function parseLesson(raw: string, form: CourseForm): { type: LessonType; title: string } {
  const match = /^(live|article|audio):(.*)$/.exec(raw);
  if (match) return { type: match[1] as LessonType, title: match[2] };
  return { type: form === 'audio' ? 'audio' : form === 'article' ? 'article' : 'video', title: raw };
}

/** Homework in a few lessons: a free course's (anyone can try it), a paid course's and two camps'. */
const ASSIGNMENTS: Record<string, Assignment> = {
  'gongkao-intro-02': { prompt: '完成课后 5 道逻辑填空练习，写下你的答案和每道题的解题思路。', accepts: { text: true, images: 3, audio: false } },
  'excel-basics-03': { prompt: '用课上讲的方法整理一份你自己的表格（至少 3 种单元格格式），截图提交，并说明每种格式的用途。', accepts: { text: true, images: 3, audio: false } },
  'pen-camp-02': { prompt: '在田字格里写“十、王、丰、三”各 5 遍，拍照上传，并说说你觉得哪一笔最难。', accepts: { text: true, images: 4, audio: false } },
  'ppt-camp-03': { prompt: '把你最近一次汇报的一页 PPT 按今天的配色与字体原则改一版，上传改前改后两张图，并写下改动理由。', accepts: { text: true, images: 2, audio: true } },
};

/** A video in two qualities, for the quality switch (a trial lesson, so anyone can try it). */
const QUALITIES: Record<string, MediaQuality[]> = {
  'excel-basics-01': [
    { id: 'hd', label: '高清', fileId: demoFileId('lesson-office.mp4') },
    { id: 'sd', label: '标清', fileId: demoFileId('lesson-office-sd.mp4') },
  ],
};

/**
 * The lecturers' 视频号, where their live lessons stream. Demo ids: WeChat answers only for a real channel
 * of the same subject as the AppID, so on a phone these fail until a school puts its own.
 */
const CHANNELS: Record<string, string> = { 'lec-chen': 'sphDemoChenJing', 'lec-li': 'sphDemoLiMingxuan', 'lec-zhou': 'sphDemoZhouMo' };
/** Lives whose feedId is known (the creator has scheduled them), and those whose replay is uploaded. */
const LIVES: Record<string, { feedId: string; replay?: string }> = {
  'ielts-live-01': { feedId: 'export/demoFeedIeltsLive01', replay: 'lesson-exam.mp4' },
  'ielts-live-02': { feedId: 'export/demoFeedIeltsLive02', replay: 'lesson-exam.mp4' },
  'ielts-live-03': { feedId: 'export/demoFeedIeltsLive03' },
  'pen-camp-01': { feedId: 'export/demoFeedPenCamp01', replay: 'lesson-hobby.mp4' },
  'ppt-camp-01': { feedId: 'export/demoFeedPptCamp01' },
};

/** An article written in the editor (restricted HTML, see Lesson.articleHtml), with the creator's highlights. */
function articleHtml(title: string): string {
  return [
    `<h2>${title}</h2>`,
    '<p>很多人以为汇报靠口才，其实<mark>汇报的成败在开口之前就决定了</mark>。</p>',
    '<h3>三个问题</h3>',
    '<ol><li>对方<strong>最关心</strong>什么？</li><li>你希望对方<strong>做什么</strong>？</li><li>对方为什么要听你的？</li></ol>',
    `<p><img src="${demoFileId('cover-talk-meeting.jpg')}" alt="向上管理"></p>`,
    '<p>把答案写在纸上，再开口。<mark>先说结论，再说理由，最后说你需要的支持。</mark></p>',
    '<blockquote>练习：回忆最近一次让你不满意的沟通，按上面的三个问题重写一遍你会怎么说。</blockquote>',
  ].join('\n');
}
const RICH_ARTICLES = new Set(['talk-meeting-02']);

/** A few paragraphs for an article lesson, built from its title so each reads differently. */
function articleText(title: string): string {
  return [
    `${title}，是很多人在职场中反复遇到、却很少被系统讲清的问题。`,
    '先想清楚三件事：对方最关心什么、你希望对方做什么、对方为什么要听你的。把这三件事写在纸上，再开口。',
    '练习：回忆最近一次让你不满意的沟通，按上面的三个问题重写一遍你会怎么说，写在课后作业里。',
  ].join('\n\n');
}

function build() {
  const lecturerById = new Map(lecturers.map((l) => [l._id, l]));
  const audienceOf = new Map(categories.map((c) => [c._id, c.audience]));
  const courses: Course[] = [];
  const lessons: Lesson[] = [];
  for (const spec of specs) {
    const lecturer = lecturerById.get(spec.lecturerId)!;
    let order = 0;
    const outline: Chapter[] = spec.chapters.map(([chapterTitle, titles], chapterIndex) => ({
      title: chapterTitle,
      lessons: titles.map((raw) => {
        const { type, title } = parseLesson(raw, spec.form);
        const id = `${spec.id}-${String(order + 1).padStart(2, '0')}`;
        const durationSec = type === 'article' ? 0 : type === 'live' ? 3600 : 300 + ((order * 97) % 900);
        const trial = order < spec.trials && type !== 'live';
        const sessionAt = spec.schedule?.sessions.find((s) => s.title === title)?.startAt;
        lessons.push({
          _id: id,
          courseId: spec.id,
          chapterIndex,
          order,
          title,
          type,
          durationSec,
          trial,
          ...(type === 'video' ? { media: { fileId: demoFileId(VIDEO_BY_AUDIENCE[audienceOf.get(spec.categoryId)!]), ...(QUALITIES[id] ? { qualities: QUALITIES[id] } : {}) } } : {}),
          ...(type === 'audio' ? { media: { fileId: demoFileId(AUDIO[order % AUDIO.length]) } } : {}),
          ...(type === 'article' ? (RICH_ARTICLES.has(id) ? { articleHtml: articleHtml(title) } : { article: articleText(title) }) : {}),
          ...(type === 'live' && sessionAt ? { liveAt: sessionAt } : {}),
          ...(type === 'live' && CHANNELS[spec.lecturerId]
            ? {
                live: {
                  finderUserName: CHANNELS[spec.lecturerId],
                  ...(LIVES[id] ? { feedId: LIVES[id].feedId } : {}),
                  ...(LIVES[id]?.replay ? { replay: { fileId: demoFileId(LIVES[id].replay!) } } : {}),
                },
              }
            : {}),
          ...(ASSIGNMENTS[id] ? { assignment: ASSIGNMENTS[id] } : {}),
        });
        order++;
        return { id, title, type, durationSec, trial };
      }),
    }));
    const flat = outline.flatMap((c) => c.lessons);
    courses.push({
      _id: spec.id,
      title: spec.title,
      subtitle: spec.subtitle,
      cover: demoFileId(spec.cover),
      categoryId: spec.categoryId,
      lecturer: { _id: lecturer._id, name: lecturer.name, title: lecturer.title, avatar: lecturer.avatar },
      form: spec.form,
      tier: spec.tier,
      price: spec.price,
      refundRule: spec.refundRule ?? standardRefund,
      status: 'published',
      outline,
      lessonCount: flat.length,
      durationSec: flat.reduce((sum, l) => sum + l.durationSec, 0),
      ...(spec.schedule ? { schedule: spec.schedule } : {}),
      stats: { sales: spec.sales, ratingSum: 0, ratingCount: 0 },
      searchText: searchTextOf({ title: spec.title, subtitle: spec.subtitle, lecturer }),
      featured: spec.featured ?? false,
      publishedAt: at(spec.publishedDay),
      updatedAt: at(spec.publishedDay + 1),
    });
  }
  return { courses, lessons };
}

const REVIEW_TEXTS: Array<[number, string]> = [
  [5, '讲得很清楚，跟着做一遍就会了，第二天上班就用上了。'],
  [5, '节奏很好，每节课不长，通勤路上刚好学完一节。'],
  [4, '内容扎实，希望再多一些练习素材。'],
  [5, '老师的例子都很贴近实际工作，强烈推荐。'],
  [4, '整体不错，个别章节稍快，需要反复看。'],
  [5, '打卡机制让我坚持下来了，这是我第一次把一门课学完。'],
  [3, '基础部分讲得好，进阶内容偏少。'],
  [5, '性价比很高，已经推荐给同事。'],
];
const NICKNAMES = ['小林', '阿杰', 'Momo', '晴天', '老周', '一只鹿', 'Lucy', '木木', '大橙子', '知行'];

function buildReviews(courses: Course[]): Review[] {
  const reviews: Review[] = [];
  courses.forEach((course, ci) => {
    const count = course.schedule && course.schedule.startAt.getTime() > ORIGIN ? 2 : 5;
    for (let i = 0; i < count; i++) {
      const [rating, content] = REVIEW_TEXTS[(ci * 3 + i) % REVIEW_TEXTS.length];
      const who = (ci * 7 + i * 3) % NICKNAMES.length;
      const id = `rev-${course._id}-${i + 1}`;
      reviews.push({
        _id: id,
        publicId: publicIdOf(id),
        courseId: course._id,
        openid: `o-demo-reviewer-${String(who + 1).padStart(2, '0')}`,
        nickname: NICKNAMES[who],
        rating,
        content,
        createdAt: at(-1 - ((ci * 5 + i * 11) % 60), 9 + i),
      });
      course.stats.ratingSum += rating;
      course.stats.ratingCount += 1;
    }
  });
  return reviews;
}

const banners: Banner[] = [
  { _id: 'banner-1', image: demoFileId('banner-new-term.jpg'), courseId: 'excel-advanced', order: 1 },
  { _id: 'banner-2', image: demoFileId('banner-camps.jpg'), courseId: 'pen-camp', order: 2 },
  { _id: 'banner-3', image: demoFileId('banner-members.jpg'), courseId: 'guitar', order: 3 },
];

const plans: Plan[] = [
  { _id: 'plan-year', title: '年度会员', subtitle: '365 天畅学会员课程，平均每月 ¥16.6', amount: yuan(199), durationDays: 365, status: 'published', order: 1 },
  { _id: 'plan-quarter', title: '季度会员', subtitle: '90 天畅学会员课程，先试一季', amount: yuan(69), durationDays: 90, status: 'published', order: 2 },
];

/** Console import format: one document per line, dates as {"$date": "..."}. */
function jsonl(docs: object[]): string {
  return docs.map((doc) => JSON.stringify(doc)).join('\n') + '\n';
}

function toImportValue(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(toImportValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toImportValue(v)]));
  return value;
}

function main() {
  const { courses, lessons } = build();
  const reviews = buildReviews(courses);
  const out = join(root, 'database/demo');
  const files: Record<string, object[]> = { categories, lecturers, courses, lessons, reviews, banners, plans };
  for (const [name, docs] of Object.entries(files)) {
    writeFileSync(join(out, `${name}.jsonl`), jsonl(docs.map((d) => toImportValue(d) as object)));
  }
  console.log(Object.entries(files).map(([name, docs]) => `${name}: ${docs.length}`).join(', '));
}

main();
