import type { GiftDetail } from '../../services/gifts';

type GiftStatus = GiftDetail['gift']['status'];

/** How the gift pages tag a gift's state. */
export const GIFT_STATUS: Record<GiftStatus, { label: string; theme: 'warning' | 'success' | 'primary' | 'default' }> = {
  unclaimed: { label: '待领取', theme: 'warning' },
  claimed: { label: '已领取', theme: 'success' },
  refunding: { label: '退款中', theme: 'primary' },
  refunded: { label: '已退款', theme: 'default' },
};
