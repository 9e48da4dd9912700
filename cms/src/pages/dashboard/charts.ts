/** The dashboard's chart options, built from its figures by plain functions. */
import type { GetDashboardResponse } from '@domain/contracts/dashboard';
import type { ChartOption } from '@/hooks/useChart';

const BRAND = '#0052d9';
const WARN = '#e37318';

/** `2026-12-06` → `12-06` */
const shortDay = (day: string) => day.slice(5);

export function revenueChart(d: GetDashboardResponse): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['收入（元）', '订单数'], top: 0 },
    grid: { left: 48, right: 48, top: 36, bottom: 24 },
    xAxis: { type: 'category', data: d.revenueByDay.map((x) => shortDay(x.day)) },
    yAxis: [
      { type: 'value', name: '元' },
      { type: 'value', name: '单', minInterval: 1 },
    ],
    series: [
      { name: '收入（元）', type: 'bar', itemStyle: { color: BRAND }, data: d.revenueByDay.map((x) => (x.revenue - x.refundAmount) / 100) },
      { name: '订单数', type: 'line', yAxisIndex: 1, itemStyle: { color: WARN }, data: d.revenueByDay.map((x) => x.orders) },
    ],
  };
}

export function newLearnersChart(d: GetDashboardResponse): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: d.newLearners.byDay.map((x) => shortDay(x.day)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: '新学员', type: 'line', areaStyle: { opacity: 0.15 }, itemStyle: { color: BRAND }, data: d.newLearners.byDay.map((x) => x.count) }],
  };
}

export function salesChart(d: GetDashboardResponse): ChartOption {
  const top = d.salesByCourse.slice(0, 8).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: '元' },
    yAxis: { type: 'category', data: top.map((c) => (c.title.length > 12 ? `${c.title.slice(0, 12)}…` : c.title)) },
    series: [{ name: '收入（元）', type: 'bar', itemStyle: { color: BRAND }, data: top.map((c) => (c.revenue - c.refundAmount) / 100) }],
  };
}
