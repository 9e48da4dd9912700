/**
 * `wx.setStorageSync` and friends: the learner's local storage on their phone, kept per openid across
 * launches in a test file (miniprogram-simulate's own stand-ins store nothing).
 */
const phones = new Map<string, Map<string, unknown>>();

export function wxLocalStorage(openid: string) {
  let storage = phones.get(openid);
  if (!storage) phones.set(openid, (storage = new Map()));
  const store = storage;
  const copy = (value: unknown) => (value === undefined ? '' : (JSON.parse(JSON.stringify(value)) as unknown));
  return {
    setStorageSync: (key: string, data: unknown) => void store.set(key, copy(data)),
    getStorageSync: (key: string) => copy(store.get(key)),
    removeStorageSync: (key: string) => void store.delete(key),
    clearStorageSync: () => store.clear(),
  };
}
