import type {
  DeleteCatalogEntryRequest,
  DeleteCatalogEntryResponse,
  GetAdminCourseResponse,
  ListAdminCoursesRequest,
  ListAdminCoursesResponse,
  ListCatalogSettingsResponse,
  SaveBannerRequest,
  SaveBannerResponse,
  SaveCategoryRequest,
  SaveCategoryResponse,
  SaveCourseRequest,
  SaveCourseResponse,
  SaveLecturerRequest,
  SaveLecturerResponse,
  SaveOutlineRequest,
  SaveOutlineResponse,
  SavePlanRequest,
  SavePlanResponse,
  SetCourseStatusRequest,
  SetCourseStatusResponse,
} from '@domain/contracts/catalog-admin';
import { call } from './cloud';

export const listAdminCourses = (req: ListAdminCoursesRequest) => call<ListAdminCoursesResponse>('listAdminCourses', req);
export const getAdminCourse = (courseId: string) => call<GetAdminCourseResponse>('getAdminCourse', { courseId });
export const saveCourse = (req: SaveCourseRequest) => call<SaveCourseResponse>('saveCourse', req);
export const saveOutline = (req: SaveOutlineRequest) => call<SaveOutlineResponse>('saveOutline', req);
export const setCourseStatus = (req: SetCourseStatusRequest) => call<SetCourseStatusResponse>('setCourseStatus', req);
export const listCatalogSettings = () => call<ListCatalogSettingsResponse>('listCatalogSettings');
export const saveLecturer = (req: SaveLecturerRequest) => call<SaveLecturerResponse>('saveLecturer', req);
export const saveCategory = (req: SaveCategoryRequest) => call<SaveCategoryResponse>('saveCategory', req);
export const saveBanner = (req: SaveBannerRequest) => call<SaveBannerResponse>('saveBanner', req);
export const savePlan = (req: SavePlanRequest) => call<SavePlanResponse>('savePlan', req);
export const deleteCatalogEntry = (req: DeleteCatalogEntryRequest) => call<DeleteCatalogEntryResponse>('deleteCatalogEntry', req);
