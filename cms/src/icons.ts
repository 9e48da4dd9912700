/**
 * The icons the console shows, as TDesign's SVG components: `<t-icon name>` would fetch its icon font from a
 * CDN, which the console must not depend on (it runs offline against the emulator, and in China's cloud).
 */
import { BookIcon, CalendarIcon, ChartBarIcon, ChatIcon, DiscountIcon, Edit1Icon, ErrorCircleIcon, HistoryIcon, MoneyIcon, Setting1Icon, ShareIcon, ShopIcon, UserListIcon, UserTalkIcon, UsergroupAddIcon, UsergroupIcon, WalletIcon } from 'tdesign-icons-vue-next';
import type { Component } from 'vue';
import type { NavIcon } from './router/nav';

export const NAV_ICONS: Record<NavIcon, Component> = {
  'chart-bar': ChartBarIcon,
  book: BookIcon,
  'setting-1': Setting1Icon,
  shop: ShopIcon,
  money: MoneyIcon,
  'user-list': UserListIcon,
  'edit-1': Edit1Icon,
  'error-circle': ErrorCircleIcon,
  usergroup: UsergroupIcon,
  history: HistoryIcon,
  calendar: CalendarIcon,
  chat: ChatIcon,
  discount: DiscountIcon,
  'usergroup-add': UsergroupAddIcon,
  share: ShareIcon,
  wallet: WalletIcon,
  'user-talk': UserTalkIcon,
};
