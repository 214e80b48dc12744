-- wrk script for bench/serve.sh: each request searches the next of bench_search's
-- queries through the JSON API (20 hits with snippets, per-year counts, total).
local queries = {
  "河长制", "安全生产", "民族团结 宣传月", "族团", "乡村振兴 OR 河长制", "安全生产 -疫情",
  "隐患排查治理", "投入资金", "2019", "完成率", "\"工作责任制\"", "title:工作总结",
  "青山镇 防汛", "长效管护机制 示范点", "人居环境 整治 成效", "同比增长 5.5%",
  "基层党建 述职报告", "数字乡村建设 2023", "群众满意度", "联防联控",
}
local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local paths = {}
for i, q in ipairs(queries) do paths[i] = "/api/search?q=" .. encode(q) end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
