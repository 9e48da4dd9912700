/**
 * The checkout's coupon picker: the coupons the learner may use on this course (most off first), 不使用优惠券,
 * and below them, greyed, the ones they hold that cannot be used, each with why. Picking one tells the
 * page (`select`, `couponId` '' for none) and closes.
 */
export interface PickerRow {
  id: string;
  ruleText: string;
  title: string;
  /** scope and expiry */
  metaText: string;
  /** -¥5 for a usable one */
  discountText: string;
  /** why it cannot be used ('' when usable) */
  reason: string;
}

Component({
  properties: {
    visible: { type: Boolean, value: false },
    usable: { type: Array, value: [] },
    unusable: { type: Array, value: [] },
    /** the coupon picked now; '' for none */
    selected: { type: String, value: '' },
  },
  methods: {
    onPick(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>) {
      this.triggerEvent('select', { couponId: e.currentTarget.dataset.id });
    },
    onVisibleChange(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>) {
      if (!e.detail.visible) this.triggerEvent('close');
    },
    onClose() {
      this.triggerEvent('close');
    },
  },
});
