// Draws the overview's 12-month trend from the JSON the page carries (no inline script: CSP).
(function () {
  var holder = document.getElementById('trend');
  var source = document.getElementById('trend-data');
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder, null, { renderer: 'svg' });
  var rate = function (name, values, color) {
    return { name: name, type: 'line', yAxisIndex: 1, data: values, smooth: true, symbolSize: 6, connectNulls: false, itemStyle: { color: color }, lineStyle: { width: 2.5 } };
  };
  chart.setOption({
    animation: false,
    color: ['#c9d1db', '#1d5fbf', '#1e7d4f', '#b42318'],
    tooltip: { trigger: 'axis', valueFormatter: function (v) { return v == null ? '—' : v; } },
    legend: { top: 0, data: ['派单数', '响应率', '解决率', '满意率'] },
    grid: { left: 48, right: 48, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: data.months, axisTick: { alignWithLabel: true } },
    yAxis: [
      { type: 'value', name: '件', splitLine: { lineStyle: { color: '#eef2f6' } } },
      { type: 'value', name: '%', min: function (v) { return Math.max(0, Math.floor((v.min - 5) / 10) * 10); }, max: 100, splitLine: { show: false } },
    ],
    series: [
      { name: '派单数', type: 'bar', data: data.dispatched, barMaxWidth: 28, itemStyle: { color: '#d5dde6' } },
      rate('响应率', data.responseRate, '#1d5fbf'),
      rate('满意率', data.satisfactionRate, '#b42318'),
      // Drawn last and dashed: with three callback answers 解决率 equals 满意率 and would hide under it.
      Object.assign(rate('解决率', data.resolutionRate, '#1e7d4f'), { lineStyle: { width: 2.5, type: 'dashed' } }),
    ],
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
