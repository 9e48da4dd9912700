import type { GrantCourseRequest, GrantCourseResponse, RevokeGrantRequest, RevokeGrantResponse } from '@domain/contracts/access';
import { call } from './cloud';

export const grantCourse = (req: GrantCourseRequest) => call<GrantCourseResponse>('grantCourse', req);
export const revokeGrant = (req: RevokeGrantRequest) => call<RevokeGrantResponse>('revokeGrant', req);
