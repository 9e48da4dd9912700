/** One typed call per catalog cloud function. */
import type {
  CourseDetail,
  GetCourseRequest,
  GetHomeRequest,
  GetLessonRequest,
  HomeView,
  LessonView,
  ListCoursesRequest,
  ListCoursesResponse,
  ListMyCoursesRequest,
  ListMyCoursesResponse,
  ListReviewsRequest,
  ListReviewsResponse,
  WriteReviewRequest,
  WriteReviewResponse,
} from '../../domain/contracts/catalog';
import { callFunction, type Jsonified } from './cloud';

export type CourseCard = Jsonified<HomeView>['featured'][number];
export type Course = Jsonified<CourseDetail>;
export type Lesson = Jsonified<LessonView>;
export type Review = Jsonified<ListReviewsResponse>['reviews'][number];
export type MyCourse = Jsonified<ListMyCoursesResponse>['courses'][number];
export type CourseSort = NonNullable<ListCoursesRequest['sort']>;

/** Banners, categories, featured and newest courses. */
export function getHome(): Promise<Jsonified<HomeView>> {
  return callFunction<GetHomeRequest, HomeView>('getHome', {});
}

/** Published courses of a category or matching a keyword, one page. */
export function listCourses(request: ListCoursesRequest): Promise<Jsonified<ListCoursesResponse>> {
  return callFunction<ListCoursesRequest, ListCoursesResponse>('listCourses', request);
}

/** A course page, with what the current learner would pay and whether they may study it. */
export function getCourse(courseId: string): Promise<Course> {
  return callFunction<GetCourseRequest, CourseDetail>('getCourse', { courseId });
}

/** A lesson for the current learner: its media (in `quality`, when it has several) if they may study it, otherwise 'locked'. */
export function getLesson(lessonId: string, quality?: string): Promise<Lesson> {
  return callFunction<GetLessonRequest, LessonView>('getLesson', { lessonId, ...(quality ? { quality } : {}) });
}

/** A course's reviews, newest first, one page. */
export function listReviews(request: ListReviewsRequest): Promise<Jsonified<ListReviewsResponse>> {
  return callFunction<ListReviewsRequest, ListReviewsResponse>('listReviews', request);
}

/** Rates and reviews a course the learner studies; writing again replaces their review (one staff took down stays down: `notice`). */
export function writeReview(request: WriteReviewRequest): Promise<Jsonified<WriteReviewResponse>> {
  return callFunction<WriteReviewRequest, WriteReviewResponse>('writeReview', request);
}

/** The courses the learner bought, most recently bought first, one page (and their membership, on the first). */
export function listMyCourses(request: ListMyCoursesRequest): Promise<Jsonified<ListMyCoursesResponse>> {
  return callFunction<ListMyCoursesRequest, ListMyCoursesResponse>('listMyCourses', request);
}
