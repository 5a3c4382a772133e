import { userInfo } from 'node:os';

/** The OS login name, for suggestions only; '' where the OS cannot say (some containers). */
export function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}
