/**
 * The console's one way to draw a chart: ECharts bound to an element ref, with only the chart types and
 * components the console uses registered (a smaller bundle), resized with its element and disposed with
 * its component.
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export function useChart(element: Ref<HTMLElement | undefined>, option: Ref<ChartOption | undefined>) {
  let chart: ECharts | undefined;
  let observer: ResizeObserver | undefined;

  const draw = () => {
    if (chart && option.value) chart.setOption(option.value, { notMerge: true });
  };

  onMounted(() => {
    chart = init(element.value!);
    observer = new ResizeObserver(() => chart?.resize());
    observer.observe(element.value!);
    draw();
  });
  watch(option, draw);
  onBeforeUnmount(() => {
    observer?.disconnect();
    chart?.dispose();
  });
}
