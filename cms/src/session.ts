/** Who is signed in to the console: their staff profile once sign-in (or a kept session) has been checked. */
import { allows, type Action } from '@domain/staff/roles';
import { ref } from 'vue';
import type { StaffProfile } from './api/auth';

export const profile = ref<StaffProfile | null>(null);

/** Button-level permission: whether the signed-in staff member may perform `action` (the functions check again). */
export const can = (action: Action) => !!profile.value && allows(profile.value.roles, action);
