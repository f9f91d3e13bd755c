<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>posapp</name>
    <message>
        <source> — {n} failed</source>
        <translation> — {n} 张失败</translation>
    </message>
    <message>
        <source>(no reason given)</source>
        <translation>(未填写原因)</translation>
    </message>
    <message>
        <source>ACCEPTED</source>
        <translation>已接单</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接单</translation>
    </message>
    <message>
        <source>Accept all</source>
        <translation>全部接单</translation>
    </message>
    <message>
        <source>Accept all ({n})</source>
        <translation>全部接单 ({n})</translation>
    </message>
    <message>
        <source>Accept now — the platform will cancel: {numbers}</source>
        <translation>请立即接单,平台即将自动取消:{numbers}</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接单</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Adding up…</source>
        <translation>正在汇总…</translation>
    </message>
    <message>
        <source>Adding up… {done} of {total} days</source>
        <translation>正在汇总… 已完成 {done}/{total} 天</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Address out of delivery range</source>
        <translation>超出配送范围</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Announce new orders aloud</source>
        <translation>语音播报新订单</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Auto-accept {platform}</source>
        <translation>{platform} 自动接单</translation>
    </message>
    <message>
        <source>Average order</source>
        <translation>客单价</translation>
    </message>
    <message>
        <source>Business day</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>CANCELLED by {platform}: order #{number}</source>
        <translation>{platform} 已取消订单 #{number}</translation>
    </message>
    <message>
        <source>COOKING</source>
        <translation>制作中</translation>
    </message>
    <message>
        <source>Cancel order</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>Cancelled / rejected</source>
        <translation>取消 / 拒单</translation>
    </message>
    <message>
        <source>Cannot write the CSV files: {error}</source>
        <translation>无法写入 CSV 文件:{error}</translation>
    </message>
    <message>
        <source>Cashier or manager PIN</source>
        <translation>收银员或经理 PIN</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>平台佣金</translation>
    </message>
    <message>
        <source>Cooking</source>
        <translation>制作中</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Customer asked to cancel</source>
        <translation>顾客要求取消</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>外送</translation>
    </message>
    <message>
        <source>Delivery fee</source>
        <translation>配送费</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Dine-in</source>
        <translation>堂食</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>预计送达</translation>
    </message>
    <message>
        <source>Ele.me</source>
        <translation>饿了么</translation>
    </message>
    <message>
        <source>Enter the PIN again.</source>
        <translation>请重新输入 PIN。</translation>
    </message>
    <message>
        <source>Enter the new PIN again</source>
        <translation>请再次输入新 PIN</translation>
    </message>
    <message>
        <source>Expected payout</source>
        <translation>预计结算</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Export the Z-report as CSV into…</source>
        <translation>将日结报表导出为 CSV,保存到…</translation>
    </message>
    <message>
        <source>Fees · tips · tax</source>
        <translation>费用 · 小费 · 税</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Fulfillment</source>
        <translation>取餐方式</translation>
    </message>
    <message>
        <source>Full screen (kiosk)</source>
        <translation>全屏(自助模式)</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>营业额</translation>
    </message>
    <message>
        <source>Gross sales</source>
        <translation>营业额</translation>
    </message>
    <message>
        <source>History</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Item sold out</source>
        <translation>商品已售罄</translation>
    </message>
    <message>
        <source>Kitchen too busy</source>
        <translation>厨房太忙</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Last order</source>
        <translation>最近下单</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Late (ready after due or &gt;{minutes} min)</source>
        <translation>超时(晚于预计送达或出餐超过 {minutes} 分钟)</translation>
    </message>
    <message>
        <source>Late orders</source>
        <translation>超时订单</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>取消损失</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>Manager PIN</source>
        <translation>经理 PIN</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>Meituan</source>
        <translation>美团</translation>
    </message>
    <message>
        <source>NEW</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>New order</source>
        <translation>新建订单</translation>
    </message>
    <message>
        <source>New {platform} order {number}</source>
        <translation>{platform}新订单 {number}号</translation>
    </message>
    <message>
        <source>No completed orders in the last hours</source>
        <translation>最近几小时没有已完成订单</translation>
    </message>
    <message>
        <source>No open orders — new orders appear here</source>
        <translation>暂无订单 — 新订单会显示在这里</translation>
    </message>
    <message>
        <source>No printer is set up</source>
        <translation>尚未设置打印机</translation>
    </message>
    <message>
        <source>No receipt printer is set up.</source>
        <translation>尚未设置小票打印机。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Own site</source>
        <translation>自有渠道</translation>
    </message>
    <message>
        <source>Packaging</source>
        <translation>包装费</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停营业</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>支付</translation>
    </message>
    <message>
        <source>Payout</source>
        <translation>预计结算</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Pickup</source>
        <translation>自取</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Platform order</source>
        <translation>平台订单号</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Prep</source>
        <translation>出餐时间</translation>
    </message>
    <message>
        <source>Prep median / p90</source>
        <translation>出餐时间 中位数 / 90分位</translation>
    </message>
    <message>
        <source>Print Z-report</source>
        <translation>打印日结报表</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印小票</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Printers…</source>
        <translation>打印机…</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>READY</source>
        <translation>待取餐</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>出餐</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Reason (for the audit log)</source>
        <translation>原因(记入审计日志)</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回</translation>
    </message>
    <message>
        <source>Recall a completed order</source>
        <translation>召回已完成订单</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Refund of {amount} recorded on #{number} by {who}</source>
        <translation>{who} 已为 #{number} 记录退款 {amount}</translation>
    </message>
    <message>
        <source>Refund on order #{number}</source>
        <translation>订单 #{number} 退款</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Refunds are recorded in the manager section</source>
        <translation>请在经理页面记录退款</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒单</translation>
    </message>
    <message>
        <source>Repeat customers (as the platforms show them; purged after the retention period)</source>
        <translation>回头客(信息以平台提供为准;超过保留期限后自动清除)</translation>
    </message>
    <message>
        <source>Reprint ticket</source>
        <translation>重打厨房单</translation>
    </message>
    <message>
        <source>Rider</source>
        <translation>骑手</translation>
    </message>
    <message>
        <source>Rider: {status}</source>
        <translation>骑手:{status}</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Rush reminder from {platform}: order #{number}</source>
        <translation>{platform}催单:订单 #{number}</translation>
    </message>
    <message>
        <source>Rush reminder × {n}</source>
        <translation>催单 × {n}</translation>
    </message>
    <message>
        <source>SOLD OUT</source>
        <translation>已售罄</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>销售额</translation>
    </message>
    <message>
        <source>Sales ({currency})</source>
        <translation>销售额({currency})</translation>
    </message>
    <message>
        <source>Saved {n} CSV files in {folder}</source>
        <translation>已保存 {n} 个 CSV 文件到 {folder}</translation>
    </message>
    <message>
        <source>Search # or name</source>
        <translation>搜索单号或姓名</translation>
    </message>
    <message>
        <source>Select a printer and tap Test print to see the page it prints.</source>
        <translation>选择一台打印机,点“打印测试页”查看打印效果。</translation>
    </message>
    <message>
        <source>Select a printer first.</source>
        <translation>请先选择打印机。</translation>
    </message>
    <message>
        <source>Sending a test page to {printer}…</source>
        <translation>正在向{printer}发送测试页…</translation>
    </message>
    <message>
        <source>Sent to the printer</source>
        <translation>已发送到打印机</translation>
    </message>
    <message>
        <source>Set a new manager PIN (4–8 digits)</source>
        <translation>设置新的经理 PIN(4–8 位数字)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role}) · locks after inactivity</source>
        <translation>已登录:{name}({role})· 无操作后自动锁定</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>售罄</translation>
    </message>
    <message>
        <source>Sold out?</source>
        <translation>售罄管理</translation>
    </message>
    <message>
        <source>Something went wrong; nothing was changed. See the log.</source>
        <translation>出错了,订单未改变。请查看日志。</translation>
    </message>
    <message>
        <source>Something went wrong; see the log.</source>
        <translation>出错了,请查看日志。</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>消费金额</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始制作</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Store closing</source>
        <translation>即将打烊</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>税</translation>
    </message>
    <message>
        <source>Test page sent to {printer}.</source>
        <translation>测试页已发送到{printer}。</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>字体大小</translation>
    </message>
    <message>
        <source>The two PINs differ. Start again.</source>
        <translation>两次输入的 PIN 不一致,请重新设置。</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Tip</source>
        <translation>小费</translation>
    </message>
    <message>
        <source>Too many wrong PINs.
Try again in {seconds} s</source>
        <translation>PIN 错误次数过多。
{seconds} 秒后再试</translation>
    </message>
    <message>
        <source>Top items</source>
        <translation>畅销商品</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo: {what}</source>
        <translation>撤销:{what}</translation>
    </message>
    <message>
        <source>Undone: #{number} is {status} again</source>
        <translation>已撤销:#{number} 恢复为{status}</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Why cancel this order?</source>
        <translation>取消原因?</translation>
    </message>
    <message>
        <source>Why reject this order?</source>
        <translation>拒单原因?</translation>
    </message>
    <message>
        <source>Z-report</source>
        <translation>日结报表</translation>
    </message>
    <message>
        <source>Z-report sent to the printer.</source>
        <translation>日结报表已发送到打印机。</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接单</translation>
    </message>
    <message>
        <source>all actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>available</source>
        <translation>有货</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>delivery</source>
        <translation>外送</translation>
    </message>
    <message>
        <source>dine_in</source>
        <translation>堂食</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新订单</translation>
    </message>
    <message>
        <source>new</source>
        <comment>compared with nothing</comment>
        <translation>新增</translation>
    </message>
    <message>
        <source>not tried yet</source>
        <translation>尚未连接</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线支付</translation>
    </message>
    <message>
        <source>p90</source>
        <translation>90分位</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <source>pickup</source>
        <translation>自取</translation>
    </message>
    <message>
        <source>preparing</source>
        <translation>制作中</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>待取餐</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已拒单</translation>
    </message>
    <message>
        <source>sales vs {day} ({before} → {now} orders)</source>
        <translation>营业额对比 {day}({before} → {now} 单)</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>unpaid</source>
        <translation>未支付</translation>
    </message>
    <message>
        <source>vs same day last week</source>
        <translation>对比上周同日</translation>
    </message>
    <message>
        <source>who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>{period} · business day from {cutoff} · {currency}</source>
        <translation>{period} · 营业日自 {cutoff} 起 · {currency}</translation>
    </message>
    <message>
        <source>{platform} order {number} cancelled</source>
        <translation>{platform}订单 {number}号已取消</translation>
    </message>
    <message>
        <source>{printer} offline — {n} tickets waiting</source>
        <translation>{printer} 离线 — {n} 张小票等待打印</translation>
    </message>
    <message>
        <source>{printer} printing — {n} waiting</source>
        <translation>{printer} 打印中 — {n} 张等待</translation>
    </message>
    <message>
        <source>{printer} ready</source>
        <translation>{printer} 就绪</translation>
    </message>
    <message>
        <source>{printer}: the test page could not be sent ({error}).</source>
        <translation>{printer}:测试页发送失败({error})。</translation>
    </message>
    <message>
        <source>{what}: {n} waiting</source>
        <translation>{what}:{n} 条待处理</translation>
    </message>
    <message>
        <source>⏸ Store paused on all platforms</source>
        <translation>⏸ 已在所有平台暂停营业</translation>
    </message>
    <message>
        <source>⚠ {n} payloads quarantined</source>
        <translation>⚠ {n} 条异常订单数据</translation>
    </message>
    <message>
        <source>Cannot reach the engine at {url} — retrying…</source>
        <translation>无法连接订单引擎 {url} — 正在重试…</translation>
    </message>
    <message>
        <source>Connecting to the engine…</source>
        <translation>正在连接订单引擎…</translation>
    </message>
    <message>
        <source>Could not reach the engine — nothing was changed. Try again when the red strip is gone.</source>
        <translation>无法连接订单引擎 — 未做任何更改。请等红条消失后再试。</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>订单引擎</translation>
    </message>
    <message>
        <source>Lost the engine — reconnecting…</source>
        <translation>与订单引擎断开 — 正在重新连接…</translation>
    </message>
    <message>
        <source>Not connected to the engine — the tap was not sent. Wait for the red strip to go.</source>
        <translation>未连接订单引擎 — 本次点击未发送。请等红条消失后再试。</translation>
    </message>
    <message>
        <source>Order #{number} was changed on another screen</source>
        <translation>订单 #{number} 已在另一块屏幕上被更改</translation>
    </message>
    <message>
        <source>Station: {name}</source>
        <translation>工位：{name}</translation>
    </message>
    <message>
        <source>This screen is not paired: ask a manager for a pairing code and run posapp screen --engine {url} --pair CODE</source>
        <translation>此屏幕尚未配对：请向经理索取配对码，然后运行 posapp screen --engine {url} --pair CODE</translation>
    </message>
    <message>
        <source>Expo</source>
        <translation>出餐口</translation>
    </message>
    <message>
        <source>ALL STATIONS DONE</source>
        <translation>各工位全部完成</translation>
    </message>
    <message>
        <source>Nothing to cook here — accepted orders with this station's dishes appear here</source>
        <translation>暂无待做菜品 — 已接单且含本工位菜品的订单会显示在这里</translation>
    </message>
    <message>
        <source>No orders cooking — accepted orders appear here</source>
        <translation>暂无制作中的订单 — 已接单的订单会显示在这里</translation>
    </message>
    <message>
        <source>127.0.0.1 means only this computer: for a screen on another device, set [screens] host in config.toml to this computer's network address.</source>
        <translation>127.0.0.1 表示仅限本机：若屏幕在另一台设备上，请在 config.toml 中把 [screens] host 设为本机的网络地址。</translation>
    </message>
    <message>
        <source>Kitchen screens</source>
        <translation>厨房屏幕</translation>
    </message>
    <message>
        <source>Pair a kitchen screen</source>
        <translation>配对厨房屏幕</translation>
    </message>
    <message>
        <source>Paired</source>
        <translation>配对时间</translation>
    </message>
    <message>
        <source>Paired screens</source>
        <translation>已配对的屏幕</translation>
    </message>
    <message>
        <source>Paired: {name}. Tap the button again for another screen.</source>
        <translation>已配对：{name}。再点按钮可配对下一块屏幕。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <source>Screen address: {address}</source>
        <translation>屏幕地址：{address}</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>档口</translation>
    </message>
    <message>
        <source>Tap again to revoke</source>
        <translation>再点一次确认撤销</translation>
    </message>
    <message>
        <source>Tap “Pair a kitchen screen” for a code, then type it on the new screen.</source>
        <translation>点“配对厨房屏幕”获取配对码，然后在新屏幕上输入。</translation>
    </message>
    <message>
        <source>That code has expired. Tap the button for a new one.</source>
        <translation>该配对码已过期。请点按钮获取新的配对码。</translation>
    </message>
    <message>
        <source>The engine listens on every network of this computer.</source>
        <translation>引擎在本机的所有网络上监听。</translation>
    </message>
    <message>
        <source>The screen API is not running, so no screen can pair now.</source>
        <translation>屏幕接口未运行，目前无法配对屏幕。</translation>
    </message>
    <message>
        <source>Valid for 10 minutes, once (until {time}). Type it on the new screen.</source>
        <translation>10 分钟内有效，仅限使用一次（至 {time}）。请在新屏幕上输入。</translation>
    </message>
    <message>
        <source>all stations</source>
        <translation>全部工位</translation>
    </message>
    <message>
        <source>paired</source>
        <translation>已配对</translation>
    </message>
    <message>
        <source>revoked {when}</source>
        <translation>已撤销 {when}</translation>
    </message>
    <message>
        <source>this computer's network address</source>
        <translation>本机的网络地址</translation>
    </message>
    <message>
        <source>{name} can no longer reach the orders.</source>
        <translation>{name} 已无法再访问订单。</translation>
    </message>
    <message>
        <source>{platform} #{number}</source>
        <translation>{platform} #{number}</translation>
    </message>
    <message>
        <source>Refund on order {order}</source>
        <translation>订单 {order} 退款</translation>
    </message>
    <message>
        <source>Accept {n} shown</source>
        <translation>接单(显示的 {n} 单)</translation>
    </message>
    <message>
        <source> — locked out</source>
        <translation> — 已锁定</translation>
    </message>
    <message>
        <source>, accepts automatically</source>
        <translation>,自动接单</translation>
    </message>
    <message>
        <source>A manager's PIN opens Settings, reports and refunds. Choose 4 to 8 digits.</source>
        <translation>经理 PIN 用于打开设置、报表和退款。请设 4 到 8 位数字。</translation>
    </message>
    <message>
        <source>A prep counts as late after (minutes)</source>
        <translation>出餐超过多少分钟算慢(分钟)</translation>
    </message>
    <message>
        <source>A printer answers at {address}.</source>
        <translation>{address} 上有打印机应答。</translation>
    </message>
    <message>
        <source>API address</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>Accept its orders automatically</source>
        <translation>自动接单</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add a row</source>
        <translation>加一行</translation>
    </message>
    <message>
        <source>App ID</source>
        <translation>App ID</translation>
    </message>
    <message>
        <source>App key</source>
        <translation>App Key</translation>
    </message>
    <message>
        <source>App secret</source>
        <translation>App Secret</translation>
    </message>
    <message>
        <source>Asking {platform}…</source>
        <translation>正在连接{platform}…</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Backup written: {file} ({n} orders).</source>
        <translation>备份已写入:{file}({n} 个订单)。</translation>
    </message>
    <message>
        <source>Backups to keep</source>
        <translation>保留备份份数</translation>
    </message>
    <message>
        <source>Bar</source>
        <translation>吧台</translation>
    </message>
    <message>
        <source>Business day ends at</source>
        <translation>营业日结束时间</translation>
    </message>
    <message>
        <source>Card turns amber after (minutes)</source>
        <translation>卡片变黄(分钟)</translation>
    </message>
    <message>
        <source>Card turns red after (minutes)</source>
        <translation>卡片变红(分钟)</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Check address</source>
        <translation>检查地址</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>Client ID</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Client Secret</translation>
    </message>
    <message>
        <source>Connected to {platform}: {shop}.</source>
        <translation>已连接{platform}:{shop}。</translation>
    </message>
    <message>
        <source>Copied. Paste it as the push URL in the platform's console.</source>
        <translation>已复制。请在平台后台粘贴为推送地址。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Counter (receipts)</source>
        <translation>柜台(小票)</translation>
    </message>
    <message>
        <source>Create manager</source>
        <translation>创建经理</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>货币</translation>
    </message>
    <message>
        <source>Delivery platforms</source>
        <translation>外卖平台</translation>
    </message>
    <message>
        <source>Developer id:Key id</source>
        <translation>Developer ID:Key ID</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Everyone who uses the counter gets a PIN. Kitchen staff run the queue, cashiers also take payments and refunds, managers open Settings and reports.</source>
        <translation>每位使用柜台的员工都有一个 PIN。后厨处理订单队列,收银员还可收款和退款,经理可打开设置和报表。</translation>
    </message>
    <message>
        <source>Everything else goes to</source>
        <translation>其他菜品送往</translation>
    </message>
    <message>
        <source>Find printers</source>
        <translation>查找打印机</translation>
    </message>
    <message>
        <source>Find the kitchen and counter printers, print a test page, and say which dishes go where.</source>
        <translation>找到后厨和柜台打印机,打印测试页,并设置各类菜品送往哪个档口。</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Kitchen</source>
        <translation>后厨</translation>
    </message>
    <message>
        <source>Kitchen printer</source>
        <translation>后厨打印机</translation>
    </message>
    <message>
        <source>Knocking on port 9100 across the network…</source>
        <translation>正在局域网中查找 9100 端口…</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Lift lock-out</source>
        <translation>解除锁定</translation>
    </message>
    <message>
        <source>Lock and close</source>
        <translation>锁定并关闭</translation>
    </message>
    <message>
        <source>Looking for printers…</source>
        <translation>正在查找打印机…</translation>
    </message>
    <message>
        <source>Managers: {names}. You may add another or go on.</source>
        <translation>经理:{names}。可以再添加一位,或继续下一步。</translation>
    </message>
    <message>
        <source>Menu category</source>
        <translation>菜品分类</translation>
    </message>
    <message>
        <source>Menu category → station</source>
        <translation>菜品分类 → 档口</translation>
    </message>
    <message>
        <source>New PIN set for {name}.</source>
        <translation>已为{name}设置新 PIN。</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Nightly backup at</source>
        <translation>每晚备份时间</translation>
    </message>
    <message>
        <source>No printer found.</source>
        <translation>没有找到打印机。</translation>
    </message>
    <message>
        <source>Nothing answers at {address}.</source>
        <translation>{address} 没有应答。</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>再次输入 PIN</translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation>纸宽</translation>
    </message>
    <message>
        <source>Pick a platform, type what its developer console shows, and test the connection.</source>
        <translation>选择平台,填写其开发者后台显示的信息,然后测试连接。</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>打印机型号</translation>
    </message>
    <message>
        <source>Register this address as the push (webhook) URL in the platform's console.</source>
        <translation>请在平台后台把此地址登记为推送(回调)地址。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Reports and backups</source>
        <translation>报表与备份</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>重设 PIN</translation>
    </message>
    <message>
        <source>Routes saved.</source>
        <translation>分单规则已保存。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save printer</source>
        <translation>保存打印机</translation>
    </message>
    <message>
        <source>Save routes</source>
        <translation>保存分单规则</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Scan the network</source>
        <translation>扫描局域网</translation>
    </message>
    <message>
        <source>Set up</source>
        <translation>已设置</translation>
    </message>
    <message>
        <source>Set up later</source>
        <translation>稍后设置</translation>
    </message>
    <message>
        <source>Set up your shop</source>
        <translation>设置您的店铺</translation>
    </message>
    <message>
        <source>Set up your shop — step {n} of {total}</source>
        <translation>设置您的店铺 — 第 {n} 步,共 {total} 步</translation>
    </message>
    <message>
        <source>Setup wizard</source>
        <translation>设置向导</translation>
    </message>
    <message>
        <source>Shared signing secret</source>
        <translation>共享签名密钥</translation>
    </message>
    <message>
        <source>Shop id</source>
        <translation>店铺 ID</translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation>签名密钥</translation>
    </message>
    <message>
        <source>Skip this step</source>
        <translation>跳过此步</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Status callback address</source>
        <translation>状态回调地址</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>店铺</translation>
    </message>
    <message>
        <source>Store id</source>
        <translation>门店 ID</translation>
    </message>
    <message>
        <source>Store id (app_poi_code)</source>
        <translation>门店 ID(app_poi_code)</translation>
    </message>
    <message>
        <source>Store name</source>
        <translation>店名</translation>
    </message>
    <message>
        <source>Take orders from this platform</source>
        <translation>接收此平台的订单</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Test print shows the page here.</source>
        <translation>测试打印的页面会显示在这里。</translation>
    </message>
    <message>
        <source>The first manager</source>
        <translation>第一位经理</translation>
    </message>
    <message>
        <source>The name printed on tickets, the shop's clock and money, and when a business day ends.</source>
        <translation>小票上印的店名、店铺时区和货币,以及营业日何时结束。</translation>
    </message>
    <message>
        <source>This computer's clock is more than five minutes off: set the right time, then test again.</source>
        <translation>本机时钟误差超过五分钟:请校准时间后再测试。</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>When an order counts as late, how reports add up, and where the nightly backup goes.</source>
        <translation>订单何时算超时、报表如何统计,以及每晚备份存到哪里。</translation>
    </message>
    <message>
        <source>Your shop</source>
        <translation>您的店铺</translation>
    </message>
    <message>
        <source>e.g. Lao Wang Noodles</source>
        <translation>例如:老王面馆</translation>
    </message>
    <message>
        <source>e.g. the USB stick</source>
        <translation>例如:U 盘</translation>
    </message>
    <message>
        <source>leave empty for the platform's own address</source>
        <translation>留空即使用平台正式地址</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>stored in the keyring</source>
        <translation>已存入系统钥匙串</translation>
    </message>
    <message>
        <source>{name} added.</source>
        <translation>已添加{name}。</translation>
    </message>
    <message>
        <source>{name} is a manager now.</source>
        <translation>{name}现在是经理。</translation>
    </message>
    <message>
        <source>{name} may sign in again.</source>
        <translation>{name}可以重新登录了。</translation>
    </message>
    <message>
        <source>{name} removed.</source>
        <translation>已删除{name}。</translation>
    </message>
    <message>
        <source>{n} printers found.</source>
        <translation>找到 {n} 台打印机。</translation>
    </message>
    <message>
        <source>{platform} accepted the credentials, but the shop id is not one of this app's shops.</source>
        <translation>{platform}接受了凭证,但该店铺 ID 不属于此应用。</translation>
    </message>
    <message>
        <source>{platform} cannot be reached: check the internet connection and the API address.</source>
        <translation>无法连接{platform}:请检查网络和接口地址。</translation>
    </message>
    <message>
        <source>{platform} refused the app id or the secret: copy them again from its developer console.</source>
        <translation>{platform}拒绝了 App ID 或密钥:请从开发者后台重新复制。</translation>
    </message>
    <message>
        <source>{platform} refused the test: {detail}</source>
        <translation>{platform}拒绝了测试:{detail}</translation>
    </message>
    <message>
        <source>{platform} saved: it takes orders now.</source>
        <translation>{platform}已保存:现在开始接单。</translation>
    </message>
    <message>
        <source>{printer} saved: tickets print there now.</source>
        <translation>{printer}已保存:小票现在从这里打印。</translation>
    </message>
    <message>
        <source>⚠ Backup failed: {reason}</source>
        <translation>⚠ 备份失败:{reason}</translation>
    </message>
    <message>
        <source>⚠ Last backup {days} days ago</source>
        <translation>⚠ 上次备份在 {days} 天前</translation>
    </message>
    <message>
        <source>⚠ No backup yet: choose a backup folder in Settings</source>
        <translation>⚠ 尚未备份:请在设置中选择备份文件夹</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 不一致。</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN 为 4 到 8 位数字。</translation>
    </message>
    <message>
        <source>Choose a PIN that is not one digit repeated.</source>
        <translation>请不要使用同一数字重复组成的 PIN。</translation>
    </message>
    <message>
        <source>Give the new user a name.</source>
        <translation>请填写新员工的名字。</translation>
    </message>
    <message>
        <source>Keep at least one manager: add another before removing this one.</source>
        <translation>至少保留一位经理:请先添加另一位再删除。</translation>
    </message>
    <message>
        <source>Type the platform's secret.</source>
        <translation>请填写平台密钥。</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN 错误。</translation>
    </message>
    <message>
        <source>No user may open this. A manager must set up a PIN first.</source>
        <translation>没有可以打开此处的员工,请先设置经理 PIN。</translation>
    </message>
    <message>
        <source>No backup folder is chosen: pick one in Settings → Store.</source>
        <translation>尚未选择备份文件夹:请在设置中选择。</translation>
    </message>
    <message>
        <source>Accept now — the platform will cancel: {numbers} (waiting {minutes} min)</source>
        <translation>请立即接单,平台即将自动取消:{numbers}(已等待 {minutes} 分钟)</translation>
    </message>
    <message>
        <source>Undone: {order} is {status} again</source>
        <translation>已撤销:{order} 恢复为{status}</translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <source>Why reject {order}?</source>
        <translation>为什么拒绝 {order}?</translation>
    </message>
    <message>
        <source>Why cancel {order}?</source>
        <translation>为什么取消 {order}?</translation>
    </message>
    <message>
        <source>Tap again: sold out on every platform</source>
        <translation>再点一次:所有平台标记售罄</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Paused — tap to resume</source>
        <translation>已暂停 — 点此恢复</translation>
    </message>
    <message>
        <source>Store paused: no new orders from any platform</source>
        <translation>店铺已暂停:所有平台都不会来新订单</translation>
    </message>
    <message>
        <source>Sold out ({n})</source>
        <translation>售罄 ({n})</translation>
    </message>
    <message>
        <source>Sold out: {dishes}</source>
        <translation>售罄:{dishes}</translation>
    </message>
    <message>
        <source>{dish} sold out</source>
        <translation>{dish} 已售罄</translation>
    </message>
    <message>
        <source>every platform</source>
        <translation>所有平台</translation>
    </message>
    <message>
        <source>Pause the store?</source>
        <translation>暂停营业?</translation>
    </message>
    <message>
        <source>No new orders will come from {platforms} until you tap Resume.</source>
        <translation>在点“恢复”之前,{platforms} 不会再来新订单。</translation>
    </message>
    <message>
        <source>Pause all platforms</source>
        <translation>暂停所有平台</translation>
    </message>
    <message>
        <source>Store paused</source>
        <translation>店铺已暂停</translation>
    </message>
    <message>
        <source>Store paused on all platforms</source>
        <translation>所有平台已暂停营业</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒单</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Start posapp full screen when this computer starts</source>
        <translation>开机后自动全屏启动 posapp</translation>
    </message>
    <message>
        <source>posapp starts full screen when this computer starts.</source>
        <translation>开机后 posapp 将自动全屏启动。</translation>
    </message>
    <message>
        <source>posapp no longer starts by itself.</source>
        <translation>posapp 不再自动启动。</translation>
    </message>
    <message>
        <source>Role</source>
        <comment>staff</comment>
        <translation>角色</translation>
    </message>
    <message>
        <source>! {n} payloads quarantined</source>
        <translation>! {n} 条异常订单数据</translation>
    </message>
    <message>
        <source>due {time}</source>
        <translation>预计 {time}</translation>
    </message>
    <message>
        <source>Only: {dish}  ×</source>
        <translation>只看:{dish}  ×</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>Changed the order's status</source>
        <translation>更改了订单状态</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Reprinted</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Marked sold out</source>
        <translation>标记售罄</translation>
    </message>
    <message>
        <source>Marked available again</source>
        <translation>恢复供应</translation>
    </message>
    <message>
        <source>Wrong PIN entered</source>
        <translation>PIN 输入错误</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Added a staff member</source>
        <translation>添加员工</translation>
    </message>
    <message>
        <source>Removed a staff member</source>
        <translation>删除员工</translation>
    </message>
    <message>
        <source>Changed a PIN</source>
        <translation>修改 PIN</translation>
    </message>
    <message>
        <source>Reset a PIN</source>
        <translation>重置 PIN</translation>
    </message>
    <message>
        <source>Lifted a PIN lock-out</source>
        <translation>解除 PIN 锁定</translation>
    </message>
    <message>
        <source>Printed the Z-report</source>
        <translation>打印 Z 报表</translation>
    </message>
    <message>
        <source>Made a kitchen-screen pairing code</source>
        <translation>生成厨房屏配对码</translation>
    </message>
    <message>
        <source>Revoked a kitchen screen</source>
        <translation>撤销厨房屏</translation>
    </message>
    <message>
        <source>Edited a customer note</source>
        <translation>编辑顾客备注</translation>
    </message>
    <message>
        <source>Cleared old customer details</source>
        <translation>清除过期顾客信息</translation>
    </message>
    <message>
        <source>Changed a setting</source>
        <translation>更改设置</translation>
    </message>
    <message>
        <source>Changed the settings</source>
        <translation>更改设置</translation>
    </message>
    <message>
        <source>Backed up the data</source>
        <translation>备份数据</translation>
    </message>
    <message>
        <source>Changed start at login</source>
        <translation>更改开机启动</translation>
    </message>
    <message>
        <source>Platform sent a rush reminder</source>
        <translation>平台催单</translation>
    </message>
    <message>
        <source>for {what}</source>
        <translation>用于 {what}</translation>
    </message>
    <message>
        <source>Tap a customer's note to write or change it.</source>
        <translation>点顾客的备注即可填写或修改。</translation>
    </message>
    <message>
        <source>Customer note</source>
        <translation>顾客备注</translation>
    </message>
    <message>
        <source>A note staff see on this customer's orders</source>
        <translation>员工在该顾客订单上看到的备注</translation>
    </message>
    <message>
        <source>This period has sales in {currencies}. Amounts in different currencies are never added together: pick the currency to report on in the list beside the dates.</source>
        <translation>该期间有 {currencies} 多种币种的销售。不同币种的金额不会相加:请在日期旁的列表中选择要统计的币种。</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>kitchen</source>
        <translation>厨房</translation>
    </message>
    <message>
        <source>New counter order</source>
        <translation>柜台新订单</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>到店</translation>
    </message>
    <message>
        <source>Phone order</source>
        <translation>电话订单</translation>
    </message>
    <message>
        <source>Quick menu</source>
        <translation>快捷菜单</translation>
    </message>
    <message>
        <source>Modifiers / note for this item</source>
        <translation>本菜品的加料 / 备注</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>未付款</translation>
    </message>
    <message>
        <source>Order note (allergies, table…)</source>
        <translation>订单备注(过敏、桌号…)</translation>
    </message>
    <message>
        <source>Total {amount}</source>
        <translation>合计 {amount}</translation>
    </message>
    <message>
        <source>Place order</source>
        <translation>下单</translation>
    </message>
    <message>
        <source>The order was not saved. See the log.</source>
        <translation>订单未保存,请查看日志。</translation>
    </message>
    <message>
        <source>⚠ No backup yet: choose a backup folder in Shop setup</source>
        <translation>⚠ 尚未备份:请在店铺设置中选择备份文件夹</translation>
    </message>
    <message>
        <source>Shop setup</source>
        <translation>店铺设置</translation>
    </message>
    <message>
        <source>No backup folder is chosen: pick one in Shop setup → Reports and backups.</source>
        <translation>尚未选择备份文件夹:请在店铺设置 → 报表与备份中选择。</translation>
    </message>
    <message>
        <source>! Backup failed: {reason}</source>
        <translation>! 备份失败:{reason}</translation>
    </message>
    <message>
        <source>! Last backup {days} days ago</source>
        <translation>! 上次备份在 {days} 天前</translation>
    </message>
    <message>
        <source>! No backup yet: choose a backup folder in Shop setup</source>
        <translation>! 尚未备份:请在店铺设置中选择备份文件夹</translation>
    </message>
    <message>
        <source> — printing on {backup}</source>
        <translation> — 由{backup}代打</translation>
    </message>
    <message>
        <source>Backup printer</source>
        <translation>备用打印机</translation>
    </message>
    <message>
        <source>No backup</source>
        <translation>无备用</translation>
    </message>
    <message>
        <source>after {n} s offline</source>
        <translation>离线 {n} 秒后</translation>
    </message>
    <message>
        <source>Pinyin</source>
        <translation>拼音</translation>
    </message>
    <message>
        <source>Recovered 1 order from {platform}</source>
        <translation>已从{platform}找回 1 笔漏单</translation>
    </message>
    <message>
        <source>Recovered {n} orders from {platform}</source>
        <translation>已从{platform}找回 {n} 笔漏单</translation>
    </message>
    <message>
        <source>Could not ask {platform} for missed orders</source>
        <translation>无法向{platform}查询漏单</translation>
    </message>
    <message>
        <source>Pickup board</source>
        <translation>取餐屏</translation>
    </message>
    <message>
        <source>Preparing</source>
        <translation>制作中</translation>
    </message>
    <message>
        <source>Ready for pickup</source>
        <translation>请取餐</translation>
    </message>
    <message>
        <source>+{n} more</source>
        <translation>还有 {n} 单</translation>
    </message>
    <message>
        <source>{platform} number {number} is ready</source>
        <translation>{platform} {number} 号,请取餐</translation>
    </message>
    <message>
        <source>Sync off</source>
        <translation>同步已关闭</translation>
    </message>
    <message>
        <source>All synced</source>
        <translation>已全部同步</translation>
    </message>
    <message>
        <source>1 change waiting</source>
        <translation>1 项更改待同步</translation>
    </message>
    <message>
        <source>{n} changes waiting</source>
        <translation>{n} 项更改待同步</translation>
    </message>
    <message>
        <source> — offline since {time}</source>
        <translation> — 自 {time} 起离线</translation>
    </message>
    <message>
        <source>{n} refused by head office</source>
        <translation>{n} 项被总部拒收</translation>
    </message>
    <message>
        <source>platform push</source>
        <translation>平台推送</translation>
    </message>
    <message>
        <source>upload</source>
        <translation>总部同步</translation>
    </message>
    <message>
        <source>print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>offline: {error}</source>
        <translation>离线:{error}</translation>
    </message>
    <message>
        <source>error: {error}</source>
        <translation>出错:{error}</translation>
    </message>
    <message>
        <source>Only a manager can change another user's PIN.</source>
        <translation>只有经理可以修改其他员工的 PIN。</translation>
    </message>
    <message>
        <source>Add at least one item before placing the order.</source>
        <translation>下单前请至少添加一个菜品。</translation>
    </message>
    <message>
        <source>A delivery order needs the customer's phone number.</source>
        <translation>外卖订单需要填写顾客电话。</translation>
    </message>
    <message>
        <source>nothing to undo on this order</source>
        <translation>此订单没有可撤销的操作</translation>
    </message>
    <message>
        <source>No receipt printer is set up: add one with role = "counter" under [printers].</source>
        <translation>尚未设置收银小票打印机:请在店铺设置 → 打印机中添加一台“前台”打印机。</translation>
    </message>
    <message>
        <source>No kitchen printer is set up: add one under [printers] in the settings.</source>
        <translation>尚未设置厨房打印机:请在店铺设置 → 打印机中添加。</translation>
    </message>
    <message>
        <source>{who}: {permission} needs a manager PIN.</source>
        <translation>{who}:{permission}需要经理 PIN。</translation>
    </message>
    <message>
        <source>Nobody is signed in</source>
        <translation>尚未登录</translation>
    </message>
    <message>
        <source>A {role} cannot do this</source>
        <translation>{role}无权执行此操作</translation>
    </message>
    <message>
        <source>reports</source>
        <translation>查看报表</translation>
    </message>
    <message>
        <source>refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>settings</source>
        <translation>店铺设置</translation>
    </message>
    <message>
        <source>users</source>
        <translation>员工管理</translation>
    </message>
    <message>
        <source>receipts</source>
        <translation>补打小票</translation>
    </message>
    <message>
        <source>manual_orders</source>
        <translation>手工下单</translation>
    </message>
    <message>
        <source>queue</source>
        <translation>订单队列</translation>
    </message>
    <message>
        <source>There is already a user called {name}.</source>
        <translation>已有名为 {name} 的员工。</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {wait}.</source>
        <translation>PIN 错误次数过多,请 {wait}后再试。</translation>
    </message>
    <message>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{name} is not set up.</source>
        <translation>{name} 尚未设置。</translation>
    </message>
    <message>
        <source>No printer named {name}.</source>
        <translation>没有名为 {name} 的打印机。</translation>
    </message>
    <message>
        <source>No one called {name}.</source>
        <translation>没有名为 {name} 的员工。</translation>
    </message>
    <message>
        <source>Unknown role {role}.</source>
        <translation>未知角色 {role}。</translation>
    </message>
    <message>
        <source>No printer named {name} in the settings.</source>
        <translation>设置中没有名为 {name} 的打印机。</translation>
    </message>
    <message>
        <source>too late to undo: undo works for {n} seconds</source>
        <translation>已无法撤销:只能在 {n} 秒内撤销</translation>
    </message>
    <message>
        <source>Order #{number} is {status}: no station works on it now.</source>
        <translation>订单 #{number} 状态为{status}:目前没有工位在做。</translation>
    </message>
    <message>
        <source>Order #{number} is {state} at {station}.</source>
        <translation>订单 #{number} 在{station}的状态为{state}。</translation>
    </message>
    <message>
        <source>cannot {action} an order that is {status}</source>
        <translation>无法对状态为{status}的订单执行“{action}”</translation>
    </message>
    <message>
        <source>Unknown payment {payment}: choose cash, card or unpaid.</source>
        <translation>未知的付款方式 {payment}:请选择现金、刷卡或未付款。</translation>
    </message>
    <message>
        <source>{what} is {n} characters long (at most {limit})</source>
        <translation>{what}长度为 {n} 个字符(最多 {limit} 个)</translation>
    </message>
    <message>
        <source>{what} holds control or unencodable characters</source>
        <translation>{what}含有控制字符或无法编码的字符</translation>
    </message>
    <message>
        <source>{what} is empty</source>
        <translation>{what}为空</translation>
    </message>
    <message>
        <source>{what} must be a whole number from {low} to {high}</source>
        <translation>{what}必须是 {low} 到 {high} 之间的整数</translation>
    </message>
    <message>
        <source>A refund must be more than 0 and at most the order total ({total}).</source>
        <translation>退款金额必须大于 0 且不超过订单总额({total})。</translation>
    </message>
    <message>
        <source>posapp is running on {folder}: close it before restoring (nothing was changed).</source>
        <translation>posapp 正在使用 {folder}:请先关闭再恢复(未做任何更改)。</translation>
    </message>
    <message>
        <source>The backup to {folder} failed: {reason}.</source>
        <translation>备份到 {folder} 失败:{reason}。</translation>
    </message>
    <message>
        <source>There is no order database in {folder} to back up.</source>
        <translation>{folder} 中没有可备份的订单数据库。</translation>
    </message>
    <message>
        <source>The backup folder {folder} cannot be used: {reason}.</source>
        <translation>备份文件夹 {folder} 无法使用:{reason}。</translation>
    </message>
    <message>
        <source>No head-office upload token in the keyring: ask your manager to set '{token}' in Settings</source>
        <translation>系统钥匙串中没有总部上传令牌:请经理在设置中填写“{token}”</translation>
    </message>
    <message>
        <source>{platform} payload could not be read</source>
        <translation>{platform}的订单数据无法读取</translation>
    </message>
    <message>
        <source>{platform}: a push over 2 MB was refused</source>
        <translation>{platform}:超过 2 MB 的推送已被拒收</translation>
    </message>
    <message>
        <source>Could not ask {platform} for missed orders: {error}</source>
        <translation>无法向{platform}查询漏单:{error}</translation>
    </message>
    <message>
        <source>unknown action {action}</source>
        <translation>未知操作 {action}</translation>
    </message>
    <message>
        <source>{what} has no time zone</source>
        <translation>{what}没有时区</translation>
    </message>
    <message>
        <source>{what} is not a plausible time: {value}</source>
        <translation>{what}不是合理的时间:{value}</translation>
    </message>
    <message>
        <source>{what} is out of range: {value}</source>
        <translation>{what}超出范围:{value}</translation>
    </message>
    <message>
        <source>{file} is not a file.</source>
        <translation>{file} 不是文件。</translation>
    </message>
    <message>
        <source>{file} is not a posapp backup or is damaged: {reason}.</source>
        <translation>{file} 不是 posapp 备份或已损坏:{reason}。</translation>
    </message>
    <message>
        <source>{file} cannot be read: {reason}.</source>
        <translation>无法读取 {file}:{reason}。</translation>
    </message>
    <message>
        <source>{file} is damaged (the database check found: {reason}).</source>
        <translation>{file} 已损坏(数据库检查发现:{reason})。</translation>
    </message>
    <message>
        <source>{file} is not a posapp backup (it has no {table} table).</source>
        <translation>{file} 不是 posapp 备份(缺少 {table} 表)。</translation>
    </message>
    <message>
        <source>[Errno {n}] {reason}</source>
        <translation>{reason}</translation>
    </message>
    <message>
        <source>{reason}: {address}</source>
        <translation>{reason}:{address}</translation>
    </message>
    <message>
        <source>Connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>Connection reset by peer</source>
        <translation>连接被对方重置</translation>
    </message>
    <message>
        <source>No route to host</source>
        <translation>无法到达该地址</translation>
    </message>
    <message>
        <source>Network is unreachable</source>
        <translation>网络不可达</translation>
    </message>
    <message>
        <source>Name or service not known</source>
        <translation>无法解析该地址</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>Broken pipe</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <source>No such file or directory</source>
        <translation>找不到该设备或文件</translation>
    </message>
    <message>
        <source>Permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>ConnectError</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>ConnectTimeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>ReadTimeout</source>
        <translation>等待回应超时</translation>
    </message>
    <message>
        <source>RemoteProtocolError</source>
        <translation>连接意外中断</translation>
    </message>
    <message>
        <source>TimeoutError</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>OSError</source>
        <translation>连接出错</translation>
    </message>
    <message>
        <source>{printer} closed the connection without answering.</source>
        <translation>{printer} 未应答就断开了连接。</translation>
    </message>
    <message>
        <source>{printer} is out of paper. Load a new roll; tickets are waiting.</source>
        <translation>{printer} 缺纸,请装入新纸卷;小票正在等待打印。</translation>
    </message>
    <message>
        <source>{printer} cover is open. Close it to print.</source>
        <translation>{printer} 纸仓盖未关,请关上后打印。</translation>
    </message>
    <message>
        <source>{printer}: CUPS is not installed on this computer (no 'lp' command).</source>
        <translation>{printer}:此电脑未安装 CUPS(没有 lp 命令)。</translation>
    </message>
    <message>
        <source>{printer}: CUPS refused the job: {reason}.</source>
        <translation>{printer}:CUPS 拒绝了打印任务:{reason}。</translation>
    </message>
    <message>
        <source>{printer}: USB printing needs the 'pyusb' package (pip install pyusb).</source>
        <translation>{printer}:USB 打印需要安装 pyusb(pip install pyusb)。</translation>
    </message>
    <message>
        <source>{printer}: serial printing needs the 'pyserial' package (pip install pyserial).</source>
        <translation>{printer}:串口打印需要安装 pyserial(pip install pyserial)。</translation>
    </message>
    <message>
        <source>{printer} is offline: no answer from {address}. Check it is switched on and on the network.</source>
        <translation>{printer} 离线:{address} 无应答。请检查打印机已开机并已联网。</translation>
    </message>
    <message>
        <source>{printer} is offline: {address} refused the connection. Check it is switched on.</source>
        <translation>{printer} 离线:{address} 拒绝连接。请检查打印机已开机。</translation>
    </message>
    <message>
        <source>{printer} cannot be reached at {address}: {reason}.</source>
        <translation>无法连接 {address} 的 {printer}:{reason}。</translation>
    </message>
    <message>
        <source>{printer} does not answer (connected, but silent for {n} s). Check for a paper jam or an error light.</source>
        <translation>{printer} 无响应(已连接,但 {n} 秒无回应)。请检查是否卡纸或亮起错误灯。</translation>
    </message>
    <message>
        <source>{printer} dropped the connection: {reason}.</source>
        <translation>{printer} 断开了连接:{reason}。</translation>
    </message>
    <message>
        <source>{printer} is not connected ({path} does not exist).</source>
        <translation>{printer} 未连接({path} 不存在)。</translation>
    </message>
    <message>
        <source>{printer} is not connected ({path}).</source>
        <translation>{printer} 未连接({path})。</translation>
    </message>
    <message>
        <source>{printer}: no permission to write {path} (add this user to the 'lp' group).</source>
        <translation>{printer}:没有写入 {path} 的权限(请把此用户加入 lp 组)。</translation>
    </message>
    <message>
        <source>{printer} cannot be written ({path}): {reason}.</source>
        <translation>无法写入 {printer}({path}):{reason}。</translation>
    </message>
    <message>
        <source>{printer}: CUPS did not take the job within {n} s.</source>
        <translation>{printer}:CUPS 在 {n} 秒内未接收打印任务。</translation>
    </message>
    <message>
        <source>{printer}: cannot run lp: {reason}.</source>
        <translation>{printer}:无法运行 lp:{reason}。</translation>
    </message>
    <message>
        <source>{printer}: USB printing is not available.</source>
        <translation>{printer}:无法使用 USB 打印。</translation>
    </message>
    <message>
        <source>{printer} stopped answering while printing ({error}); the ticket will be printed again marked REPRINT.</source>
        <translation>{printer} 打印中途停止响应({error});小票将重新打印并标注“重打”。</translation>
    </message>
    <message>
        <source>{printer} stopped answering on {path}: {reason}.</source>
        <translation>{printer} 在 {path} 上停止响应:{reason}。</translation>
    </message>
    <message>
        <source>printer address {address} has no host (write tcp://192.168.1.50:9100)</source>
        <translation>打印机地址 {address} 缺少主机(请写成 tcp://192.168.1.50:9100)</translation>
    </message>
    <message>
        <source>printer address {address} has no path (write file:/dev/usb/lp0)</source>
        <translation>打印机地址 {address} 缺少路径(请写成 file:/dev/usb/lp0)</translation>
    </message>
    <message>
        <source>printer address {address} has a bad port</source>
        <translation>打印机地址 {address} 的端口不正确</translation>
    </message>
    <message>
        <source>USB printer {address} needs exactly a vendor and a product id: usb:04b8:0202</source>
        <translation>USB 打印机 {address} 需要厂商号和产品号:usb:04b8:0202</translation>
    </message>
    <message>
        <source>USB printer {address} needs hex ids: usb:04b8:0202</source>
        <translation>USB 打印机 {address} 需要十六进制编号:usb:04b8:0202</translation>
    </message>
    <message>
        <source>serial printer {address} has no device (write serial:/dev/ttyUSB0)</source>
        <translation>串口打印机 {address} 缺少设备(请写成 serial:/dev/ttyUSB0)</translation>
    </message>
    <message>
        <source>serial printer {address} has a bad baudrate</source>
        <translation>串口打印机 {address} 的波特率不正确</translation>
    </message>
    <message>
        <source>CUPS printer {address} has no queue name (write cups:Receipt)</source>
        <translation>CUPS 打印机 {address} 缺少队列名(请写成 cups:Receipt)</translation>
    </message>
    <message>
        <source>unknown printer address {address}: use tcp://host:port, file:PATH, usb:VID:PID, serial:/dev/... or cups:NAME</source>
        <translation>未知的打印机地址 {address}:请使用 tcp://主机:端口、file:路径、usb:VID:PID、serial:/dev/... 或 cups:名称</translation>
    </message>
    <message>
        <source>printer encoding {encoding} is not supported (use one of {known})</source>
        <translation>不支持打印机编码 {encoding}(可用:{known})</translation>
    </message>
    <message>
        <source>paper width {n} mm is not supported (use 58 or 80)</source>
        <translation>不支持 {n} mm 纸宽(请用 58 或 80)</translation>
    </message>
    <message>
        <source>python-escpos has no printer profile {model}</source>
        <translation>python-escpos 没有打印机型号 {model}</translation>
    </message>
    <message>
        <source>unknown printer profile {name} (known: {known}, or escpos:&lt;model&gt;)</source>
        <translation>未知的打印机型号 {name}(可用:{known},或 escpos:&lt;型号&gt;)</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <source>Busy mode</source>
        <translation>忙碌模式</translation>
    </message>
    <message>
        <source>Busy +{n} min</source>
        <translation>忙碌 +{n} 分钟</translation>
    </message>
    <message>
        <source>Busy +{n} min {until}</source>
        <translation>忙碌 +{n} 分钟,{until}</translation>
    </message>
    <message>
        <source>+{n} min</source>
        <translation>+{n} 分钟</translation>
    </message>
    <message>
        <source>for 30 min</source>
        <translation>持续 30 分钟</translation>
    </message>
    <message>
        <source>for 1 hour</source>
        <translation>持续 1 小时</translation>
    </message>
    <message>
        <source>for 2 hours</source>
        <translation>持续 2 小时</translation>
    </message>
    <message>
        <source>until I end it</source>
        <translation>直到手动结束</translation>
    </message>
    <message>
        <source>until {time}</source>
        <translation>至 {time}</translation>
    </message>
    <message>
        <source>until ended</source>
        <translation>直到手动结束</translation>
    </message>
    <message>
        <source>sent to {platforms}</source>
        <translation>已告知{platforms}</translation>
    </message>
    <message>
        <source>Start busy mode</source>
        <translation>开始忙碌模式</translation>
    </message>
    <message>
        <source>Back to normal</source>
        <translation>恢复正常</translation>
    </message>
    <message>
        <source>Normal prep times</source>
        <translation>正常出餐时间</translation>
    </message>
    <message>
        <source>Needs {n} more min</source>
        <translation>还需 {n} 分钟</translation>
    </message>
    <message>
        <source>a later ready time is sent with each accept (Accept Order pickup_time)</source>
        <translation>每次接单时告知平台更晚的出餐时间(Accept Order pickup_time)</translation>
    </message>
    <message>
        <source>a later ready time is sent with each accept (Confirm Order prep_time)</source>
        <translation>每次接单时告知平台更晚的出餐时间(Confirm Order prep_time)</translation>
    </message>
    <message>
        <source>the public Store API has only online/paused, no prep-time or busy setting</source>
        <translation>公开的门店接口只有营业/暂停,没有出餐时间或忙碌设置</translation>
    </message>
    <message>
        <source>the public API cannot move an accepted order's ready time (only at accept)</source>
        <translation>公开接口无法修改已接订单的出餐时间(只能在接单时告知)</translation>
    </message>
    <message>
        <source>the Marketplace API has only store on/off, no prep-time or busy setting</source>
        <translation>Marketplace 接口只有门店上线/下线,没有出餐时间或忙碌设置</translation>
    </message>
    <message>
        <source>the Marketplace API cannot move a confirmed order's ready time</source>
        <translation>Marketplace 接口无法修改已确认订单的出餐时间</translation>
    </message>
    <message>
        <source>美团's open API has no call to set a prep time or busy state (only 出餐上报 and reading 备货时长)</source>
        <translation>美团开放平台没有设置出餐时间或忙碌状态的接口(只有出餐上报和查询备货时长),请在美团商家后台设置</translation>
    </message>
    <message>
        <source>美团's open API cannot move an order's ready time</source>
        <translation>美团开放平台无法修改订单的出餐时间</translation>
    </message>
    <message>
        <source>饿了么's open API has no call to set a prep time or busy state (only 出餐 and open/close)</source>
        <translation>饿了么开放平台没有设置出餐时间或忙碌状态的接口(只有出餐和开店/关店),请在饿了么商家后台设置</translation>
    </message>
    <message>
        <source>饿了么's open API cannot move an order's ready time</source>
        <translation>饿了么开放平台无法修改订单的出餐时间</translation>
    </message>
    <message>
        <source>its public API has no store prep-time or busy setting</source>
        <translation>该平台公开接口没有出餐时间或忙碌设置</translation>
    </message>
    <message>
        <source>its public API cannot move an accepted order's ready time</source>
        <translation>该平台公开接口无法修改已接订单的出餐时间</translation>
    </message>
    <message>
        <source>not a delivery platform: nothing to tell</source>
        <translation>非外卖平台订单:无需告知</translation>
    </message>
    <message>
        <source>{order} was changed on another screen</source>
        <translation>{order} 已在另一块屏幕上被更改</translation>
    </message>
    <message>
        <source>Refund of {amount} recorded on {order} by {who}</source>
        <translation>{who} 已为 {order} 记录退款 {amount}</translation>
    </message>
    <message>
        <source>Auto-cancel in {time}</source>
        <translation>{time} 后平台自动取消</translation>
    </message>
    <message>
        <source>Past the platform's auto-cancel time</source>
        <translation>已过平台自动取消时间</translation>
    </message>
    <message>
        <source>Accept now — {order} is auto-cancelled in {time}</source>
        <translation>请立即接单 — {order} 将在 {time} 后被平台自动取消</translation>
    </message>
    <message>
        <source>Counter printer</source>
        <translation>前台打印机</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>收银打印机</translation>
    </message>
    <message>
        <source>Bar printer</source>
        <translation>吧台打印机</translation>
    </message>
    <message>
        <source>Grill printer</source>
        <translation>烧烤打印机</translation>
    </message>
    <message>
        <source>Expo printer</source>
        <translation>出餐打印机</translation>
    </message>
    <message>
        <source>{name} printer</source>
        <translation>{name}打印机</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Dishes, their station and price, and each platform's id for them. Sold out (86) goes to every platform that sells the dish.</source>
        <translation>菜品、出品档口、价格,以及各平台的商品 ID。估清(沽清)会同步到所有在售该菜的平台。</translation>
    </message>
    <message>
        <source>Search dishes</source>
        <translation>搜索菜品</translation>
    </message>
    <message>
        <source>New dish</source>
        <translation>新建菜品</translation>
    </message>
    <message>
        <source>Dish name</source>
        <translation>菜品名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>item id</source>
        <translation>商品 ID</translation>
    </message>
    <message>
        <source>SKU / spec id</source>
        <translation>SKU / 规格 ID</translation>
    </message>
    <message>
        <source>Save dish</source>
        <translation>保存菜品</translation>
    </message>
    <message>
        <source>Sold out (86)</source>
        <translation>估清(86)</translation>
    </message>
    <message>
        <source>Back in stock</source>
        <translation>恢复售卖</translation>
    </message>
    <message>
        <source>86 sold out</source>
        <translation>已估清</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>From past orders</source>
        <translation>从历史订单</translation>
    </message>
    <message>
        <source>From a CSV file</source>
        <translation>从 CSV 文件</translation>
    </message>
    <message>
        <source>From {platform}</source>
        <translation>从{platform}</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>A CSV of dishes</source>
        <translation>菜品 CSV 文件</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>Past orders</source>
        <translation>历史订单</translation>
    </message>
    <message>
        <source>A dish needs a name.</source>
        <translation>菜品需要名称。</translation>
    </message>
    <message>
        <source>The price must be a number such as 32.00</source>
        <translation>价格须为数字,例如 32.00</translation>
    </message>
    <message>
        <source>Saved {dish}.</source>
        <translation>已保存 {dish}。</translation>
    </message>
    <message>
        <source>{dish} is sold out</source>
        <translation>{dish} 已估清</translation>
    </message>
    <message>
        <source>{dish} is back</source>
        <translation>{dish} 已恢复售卖</translation>
    </message>
    <message>
        <source>no platform sells it yet</source>
        <translation>暂无平台在售</translation>
    </message>
    <message>
        <source>sold out</source>
        <translation>估清</translation>
    </message>
    <message>
        <source>back in stock</source>
        <translation>恢复售卖</translation>
    </message>
    <message>
        <source>✔ {platform}: {what} sent</source>
        <translation>✔ {platform}:{what}已送达</translation>
    </message>
    <message>
        <source>… {platform}: waiting</source>
        <translation>… {platform}:等待发送</translation>
    </message>
    <message>
        <source>✖ {platform}: refused</source>
        <translation>✖ {platform}:被拒绝</translation>
    </message>
    <message>
        <source>{platform}: {what}</source>
        <translation>{platform}:{what}</translation>
    </message>
    <message>
        <source>{source}: {added} dishes added, {updated} updated</source>
        <translation>{source}:新增 {added} 道菜,更新 {updated} 道</translation>
    </message>
    <message>
        <source>The CSV is neither UTF-8 nor GB18030 text: nothing imported</source>
        <translation>CSV 文件的编码不是 UTF-8/GB18030:未导入任何内容</translation>
    </message>
    <message>
        <source>The CSV needs a header row with a name/名称 column: nothing imported</source>
        <translation>CSV 需要带有 name/名称 列的表头行:未导入任何内容</translation>
    </message>
    <message>
        <source>The CSV is larger than {n} MB: nothing imported</source>
        <translation>CSV 文件超过 {n} MB:未导入任何内容</translation>
    </message>
    <message>
        <source>The CSV has more than {n} dishes: nothing imported</source>
        <translation>CSV 中菜品超过 {n} 道:未导入任何内容</translation>
    </message>
    <message>
        <source>CSV line {line}: price {price} is not a number: nothing imported</source>
        <translation>CSV 第 {line} 行:价格 {price} 不是数字:未导入任何内容</translation>
    </message>
    <message>
        <source>CSV line {line}: price {price} is not a plausible price: nothing imported</source>
        <translation>CSV 第 {line} 行:价格 {price} 不合理:未导入任何内容</translation>
    </message>
    <message>
        <source>CSV line {line}: the name is longer than {n} characters</source>
        <translation>CSV 第 {line} 行:名称超过 {n} 个字符</translation>
    </message>
    <message>
        <source>{platform} is not set up on this counter</source>
        <translation>本机未设置{platform}</translation>
    </message>
    <message>
        <source>{platform} refused the menu import: {reason}</source>
        <translation>{platform}拒绝了菜单导入:{reason}</translation>
    </message>
    <message>
        <source>Could not reach {platform} for its menu ({reason}): nothing changed</source>
        <translation>无法连接{platform}获取菜单({reason}):未做任何更改</translation>
    </message>
    <message>
        <source>{platform}'s public API has no call that lists a store's menu: import its dishes from a CSV, or let them arrive with its orders</source>
        <translation>{platform}的开放接口不能读取门店菜单:请用 CSV 导入菜品,或由订单自动带入</translation>
    </message>
    <message>
        <source>auto-accept</source>
        <translation>自动接单</translation>
    </message>
    <message>
        <source>{platform} unreachable: {error}</source>
        <translation>无法连接{platform}:{error}</translation>
    </message>
    <message>
        <source>{platform} refused: HTTP {code}</source>
        <translation>{platform}拒绝了请求:HTTP {code}</translation>
    </message>
    <message>
        <source>{platform}: HTTP {code}</source>
        <translation>{platform}:HTTP {code}</translation>
    </message>
    <message>
        <source>Head office did not answer in time</source>
        <translation>总部未及时应答</translation>
    </message>
    <message>
        <source>Head office unreachable ({error})</source>
        <translation>无法连接总部({error})</translation>
    </message>
    <message>
        <source>Head office busy: HTTP {code}</source>
        <translation>总部繁忙:HTTP {code}</translation>
    </message>
    <message>
        <source>Head office refused the batch: HTTP {detail}</source>
        <translation>总部拒收了这批数据:HTTP {detail}</translation>
    </message>
    <message>
        <source>Head office sent an answer that is not the upload contract</source>
        <translation>总部的应答不符合上传协议</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation>钱箱</translation>
    </message>
    <message>
        <source>A cash drawer is plugged into this printer</source>
        <translation>这台打印机接了钱箱</translation>
    </message>
    <message>
        <source>Count the drawer</source>
        <translation>清点钱箱</translation>
    </message>
    <message>
        <source>Clear count</source>
        <translation>清零</translation>
    </message>
    <message>
        <source>Save count</source>
        <translation>保存清点</translation>
    </message>
    <message>
        <source>Opening float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <source>Paid in</source>
        <translation>存入</translation>
    </message>
    <message>
        <source>Paid out</source>
        <translation>支出</translation>
    </message>
    <message>
        <source>Cash orders</source>
        <translation>现金订单</translation>
    </message>
    <message>
        <source>Cash refunds</source>
        <translation>现金退款</translation>
    </message>
    <message>
        <source>Expected in drawer</source>
        <translation>钱箱应有</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <source>Variance</source>
        <translation>差额</translation>
    </message>
    <message>
        <source>Counted by</source>
        <translation>清点人</translation>
    </message>
    <message>
        <source>{amount} short</source>
        <translation>短款 {amount}</translation>
    </message>
    <message>
        <source>{amount} over</source>
        <translation>长款 {amount}</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>相符</translation>
    </message>
    <message>
        <source>short</source>
        <translation>短款</translation>
    </message>
    <message>
        <source>over</source>
        <translation>长款</translation>
    </message>
    <message>
        <source>Open drawer…</source>
        <translation>打开钱箱…</translation>
    </message>
    <message>
        <source>Open drawer</source>
        <translation>打开钱箱</translation>
    </message>
    <message>
        <source>Count saved for the Z-report.</source>
        <translation>清点已保存,会写入 Z 报表。</translation>
    </message>
    <message>
        <source>The drawer is opening.</source>
        <translation>钱箱正在打开。</translation>
    </message>
    <message>
        <source>{what} of {amount} recorded.</source>
        <translation>已记录{what} {amount}。</translation>
    </message>
    <message>
        <source>Cash-up</source>
        <translation>现金结算</translation>
    </message>
    <message>
        <source>Expected {amount}</source>
        <translation>应有 {amount}</translation>
    </message>
    <message>
        <source>Counted {amount}</source>
        <translation>实点 {amount}</translation>
    </message>
    <message>
        <source>Drawer not counted yet</source>
        <translation>钱箱尚未清点</translation>
    </message>
    <message>
        <source>Float {amount}</source>
        <translation>备用金 {amount}</translation>
    </message>
    <message>
        <source>Cash orders {n} · {amount}</source>
        <translation>现金订单 {n} 单 · {amount}</translation>
    </message>
    <message>
        <source>Cash refunds {amount}</source>
        <translation>现金退款 {amount}</translation>
    </message>
    <message>
        <source>Paid in {amount}</source>
        <translation>存入 {amount}</translation>
    </message>
    <message>
        <source>Paid out {amount}</source>
        <translation>支出 {amount}</translation>
    </message>
    <message>
        <source>Counted by {who}</source>
        <translation>清点人 {who}</translation>
    </message>
    <message>
        <source>Paid cash into the drawer</source>
        <translation>向钱箱存入现金</translation>
    </message>
    <message>
        <source>Paid cash out of the drawer</source>
        <translation>从钱箱支出现金</translation>
    </message>
    <message>
        <source>Set the opening float</source>
        <translation>设置备用金</translation>
    </message>
    <message>
        <source>Counted the drawer</source>
        <translation>清点钱箱</translation>
    </message>
    <message>
        <source>Opened the cash drawer</source>
        <translation>打开钱箱</translation>
    </message>
    <message>
        <source>Counted {counted} · expected {expected} · {variance} {word}</source>
        <translation>实点 {counted} · 应有 {expected} · {variance} {word}</translation>
    </message>
    <message>
        <source>Enter an amount more than 0.</source>
        <translation>请输入大于 0 的金额。</translation>
    </message>
    <message>
        <source>Say why (a reason is kept with the entry).</source>
        <translation>请填写原因(原因会随记录保存)。</translation>
    </message>
    <message>
        <source>Only a manager counts the drawer.</source>
        <translation>只有经理可以清点钱箱。</translation>
    </message>
    <message>
        <source>That is not a note or coin of this currency.</source>
        <translation>这不是该货币的纸币或硬币面额。</translation>
    </message>
    <message>
        <source>A count cannot be less than 0.</source>
        <translation>清点数量不能小于 0。</translation>
    </message>
    <message>
        <source>No printer with a cash drawer is set up: tick Cash drawer under Printers.</source>
        <translation>没有设置接钱箱的打印机:请在“打印机”中勾选“钱箱”。</translation>
    </message>
    <message>
        <source>[cash] in the settings: {reason}</source>
        <translation>设置中的 [cash]: {reason}</translation>
    </message>
    <message>
        <source>Payouts</source>
        <translation>平台结算</translation>
    </message>
    <message>
        <source>Paid as expected</source>
        <translation>已按预期结算</translation>
    </message>
    <message>
        <source>Short-paid</source>
        <translation>少结</translation>
    </message>
    <message>
        <source>Missing from the statement</source>
        <translation>账单中缺少</translation>
    </message>
    <message>
        <source>Not one of our orders</source>
        <translation>非本店订单</translation>
    </message>
    <message>
        <source>Adjustments</source>
        <translation>调账</translation>
    </message>
    <message>
        <source>Import statement…</source>
        <translation>导入账单…</translation>
    </message>
    <message>
        <source>Show statements of these days</source>
        <translation>查看这些营业日的账单</translation>
    </message>
    <message>
        <source>Business days</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>Choose a platform, then import the statement you downloaded from it.</source>
        <translation>选择平台,然后导入从该平台下载的账单。</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>应结</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>实结</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>{n} lines</source>
        <translation>{n} 行</translation>
    </message>
    <message>
        <source>Import a {platform} statement</source>
        <translation>导入{platform}账单</translation>
    </message>
    <message>
        <source>Statements in {folder}</source>
        <translation>{folder} 中的账单</translation>
    </message>
    <message>
        <source>No .csv or .xlsx files here.</source>
        <translation>此文件夹中没有 .csv 或 .xlsx 文件。</translation>
    </message>
    <message>
        <source>Another folder…</source>
        <translation>其他文件夹…</translation>
    </message>
    <message>
        <source>Statements are in…</source>
        <translation>账单所在文件夹…</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <source>{file} was not imported, nothing was kept: {reason}</source>
        <translation>{file} 未导入,未保存任何内容:{reason}</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>已保存 {file}</translation>
    </message>
    <message>
        <source>{file} imported: matched to our orders of {days}</source>
        <translation>{file} 已导入:已与 {days} 的订单核对</translation>
    </message>
    <message>
        <source>Every imported statement line of {days}</source>
        <translation>{days} 已导入的全部账单明细</translation>
    </message>
    <message>
        <source>line {line}: {reason}</source>
        <translation>第 {line} 行:{reason}</translation>
    </message>
    <message>
        <source>{what} is not a number: {value}</source>
        <translation>{what}不是数字:{value}</translation>
    </message>
    <message>
        <source>{what} is not a plausible amount: {value}</source>
        <translation>{what}金额不合理:{value}</translation>
    </message>
    <message>
        <source>{what} has more decimals than {currency} has: {value}</source>
        <translation>{what}的小数位超过 {currency} 的精度:{value}</translation>
    </message>
    <message>
        <source>the payout amount</source>
        <translation>结算金额</translation>
    </message>
    <message>
        <source>the order amount</source>
        <translation>订单金额</translation>
    </message>
    <message>
        <source>a fee</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>the payout amount is empty</source>
        <translation>结算金额为空</translation>
    </message>
    <message>
        <source>not a date: {value}</source>
        <translation>不是日期:{value}</translation>
    </message>
    <message>
        <source>not a currency code: {value}</source>
        <translation>不是货币代码:{value}</translation>
    </message>
    <message>
        <source>the order id is too long or holds control characters</source>
        <translation>订单号过长或含控制字符</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>the file is larger than {n} MB: not a statement</source>
        <translation>文件超过 {n} MB:不是账单</translation>
    </message>
    <message>
        <source>the file is neither UTF-8 nor GB18030 text, nor an .xlsx workbook</source>
        <translation>文件既不是 UTF-8 或 GB18030 文本,也不是 .xlsx 工作簿</translation>
    </message>
    <message>
        <source>the file holds binary data: not a CSV statement</source>
        <translation>文件含二进制数据:不是 CSV 账单</translation>
    </message>
    <message>
        <source>the CSV cannot be read: {reason}</source>
        <translation>无法读取 CSV:{reason}</translation>
    </message>
    <message>
        <source>the Excel workbook cannot be opened: {reason}</source>
        <translation>无法打开 Excel 工作簿:{reason}</translation>
    </message>
    <message>
        <source>more than {n} lines: not one statement</source>
        <translation>超过 {n} 行:不是一份账单</translation>
    </message>
    <message>
        <source>no statement format is known for {platform}</source>
        <translation>不支持{platform}的账单格式</translation>
    </message>
    <message>
        <source>no header with an order id and a payout column ({id}, {net}) in the first lines: is this a {platform} statement?</source>
        <translation>前几行中没有含订单号和结算金额({id}、{net})的表头:这是{platform}的账单吗?</translation>
    </message>
    <message>
        <source>no header with an order id and a payout column: is this a {platform} statement?</source>
        <translation>没有含订单号和结算金额的表头:这是{platform}的账单吗?</translation>
    </message>
    <message>
        <source>this statement was imported already ({file}, {when} UTC)</source>
        <translation>该账单已导入过({file},UTC {when})</translation>
    </message>
    <message>
        <source>the file cannot be read: {reason}</source>
        <translation>无法读取文件:{reason}</translation>
    </message>
    <message>
        <source>no imported statement #{n}</source>
        <translation>没有已导入的账单 #{n}</translation>
    </message>
    <message>
        <source>Platform money</source>
        <translation>平台资金</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>笔数</translation>
    </message>
    <message>
        <source>Refunded by {platform}</source>
        <translation>{platform}退款</translation>
    </message>
    <message>
        <source>1 line</source>
        <translation>1 行</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>客户分群</translation>
    </message>
    <message>
        <source>By platform</source>
        <translation>按平台</translation>
    </message>
    <message>
        <source>Repeat customers</source>
        <translation>回头客</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>全部平台</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新客</translation>
    </message>
    <message>
        <source>Regular</source>
        <translation>常客</translation>
    </message>
    <message>
        <source>High-value</source>
        <translation>高价值</translation>
    </message>
    <message>
        <source>Lapsing</source>
        <translation>流失预警</translation>
    </message>
    <message>
        <source>Lost customer</source>
        <translation>已流失</translation>
    </message>
    <message>
        <source>Customers
identified</source>
        <translation>识别出的
客户数</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>分群</translation>
    </message>
    <message>
        <source>Repeat
rate</source>
        <translation>复购率</translation>
    </message>
    <message>
        <source>Orders per
customer</source>
        <translation>人均
订单数</translation>
    </message>
    <message>
        <source>Average
order</source>
        <translation>平均
客单价</translation>
    </message>
    <message>
        <source>Masked and relay phones count within their platform only; a full phone joins the own website and manual orders.</source>
        <translation>打码号码和隐私号只在各自平台内识别客户;只有完整手机号才会把官网订单和手工订单归为同一客户。</translation>
    </message>
    <message>
        <source>No customer with a phone number in the kept orders.</source>
        <translation>保留的订单中没有带电话号码的客户。</translation>
    </message>
    <message>
        <source>{customers} customers · {repeat} came back · {orders} orders each · {average} per order</source>
        <translation>{customers} 位客户 · {repeat} 回头 · 人均 {orders} 单 · 每单 {average}</translation>
    </message>
    <message>
        <source>Tap a customer to see their orders on every platform.</source>
        <translation>点按客户查看其在各平台的订单。</translation>
    </message>
    <message>
        <source>{name} · {segment} · {n} orders</source>
        <translation>{name} · {segment} · {n} 单</translation>
    </message>
    <message>
        <source>lost: no order for more than {lost} days</source>
        <translation>已流失:超过 {lost} 天没有下单</translation>
    </message>
    <message>
        <source>high-value: {orders}+ orders and {spend}+ spent, last order within {active} days</source>
        <translation>高价值:{orders} 单以上且消费 {spend} 以上,最近一单在 {active} 天内</translation>
    </message>
    <message>
        <source>lapsing: {orders}+ orders, last order {first}–{lost} days ago</source>
        <translation>流失预警:{orders} 单以上,最近一单在 {first}–{lost} 天前</translation>
    </message>
    <message>
        <source>regular: {orders}+ orders, last order within {active} days</source>
        <translation>常客:{orders} 单以上,最近一单在 {active} 天内</translation>
    </message>
    <message>
        <source>new: one order, within the last {lost} days</source>
        <translation>新客:只有一单,在最近 {lost} 天内</translation>
    </message>
    <message>
        <source>Imported a platform statement</source>
        <translation>导入平台账单</translation>
    </message>
    <message>
        <source>{platform}: {file}, {n} lines</source>
        <translation>{platform}:{file},{n} 行</translation>
    </message>
    <message>
        <source>Cash drawer kept shut (its printer was offline too long)</source>
        <translation>钱箱未打开(打印机离线太久)</translation>
    </message>
    <message>
        <source>Cancels unaccepted orders after (minutes)</source>
        <translation>未接单自动取消时间(分钟)</translation>
    </message>
    <message>
        <source>Type the minutes as a number, e.g. 11.5, or leave it empty.</source>
        <translation>请输入分钟数,例如 11.5,或留空。</translation>
    </message>
    <message>
        <source>{minutes:g} min, as the platform documents it</source>
        <translation>{minutes:g} 分钟(平台文档所载)</translation>
    </message>
    <message>
        <source>none published: set one for a countdown</source>
        <translation>平台未公布:设置后才显示倒计时</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Scan the customer's code</source>
        <translation>扫顾客付款码</translation>
    </message>
    <message>
        <source>Customer scans our QR</source>
        <translation>顾客扫我们的二维码</translation>
    </message>
    <message>
        <source>Card reader</source>
        <translation>刷卡机</translation>
    </message>
    <message>
        <source>Take payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Take payment — {order}</source>
        <translation>收款 — {order}</translation>
    </message>
    <message>
        <source>How does the customer pay?</source>
        <translation>顾客用什么方式付款?</translation>
    </message>
    <message>
        <source>TEST MODE — no real money</source>
        <translation>测试模式 — 不涉及真实资金</translation>
    </message>
    <message>
        <source>No payment gateway is set up: a manager sets one up in Shop setup → Payments.</source>
        <translation>尚未设置支付通道:请经理在店铺设置 → 收款中设置。</translation>
    </message>
    <message>
        <source>Scan the customer's payment code</source>
        <translation>请扫描顾客的付款码</translation>
    </message>
    <message>
        <source>Point the scanner at the code on the customer's phone (WeChat or Alipay → Pay).</source>
        <translation>用扫码枪对准顾客手机上的付款码(微信或支付宝 → 付款)。</translation>
    </message>
    <message>
        <source>That was not a payment code. Ask the customer to open WeChat or Alipay → Pay, then scan again.</source>
        <translation>这不是付款码。请顾客打开微信或支付宝 → 付款,然后重新扫描。</translation>
    </message>
    <message>
        <source>Waiting for the customer to confirm…</source>
        <translation>等待顾客确认付款…</translation>
    </message>
    <message>
        <source>Waiting for the card on the reader…</source>
        <translation>等待顾客在刷卡机上刷卡…</translation>
    </message>
    <message>
        <source>Preparing the QR code…</source>
        <translation>正在生成二维码…</translation>
    </message>
    <message>
        <source>Ask the customer to scan this code with {app}</source>
        <translation>请顾客用{app}扫描此二维码</translation>
    </message>
    <message>
        <source>No clear answer yet — asking the gateway again</source>
        <translation>尚无明确结果 — 正在再次查询支付通道</translation>
    </message>
    <message>
        <source>Cancel payment</source>
        <translation>取消收款</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>支付失败</translation>
    </message>
    <message>
        <source>The gateway declined the payment.</source>
        <translation>支付通道拒绝了这笔付款。</translation>
    </message>
    <message>
        <source>Transaction {id}</source>
        <translation>交易号 {id}</translation>
    </message>
    <message>
        <source>No money was taken.</source>
        <translation>未扣款。</translation>
    </message>
    <message>
        <source>Not confirmed</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Do not hand over the order; posapp keeps asking the gateway.</source>
        <translation>请勿交付订单;posapp 会继续向支付通道查询。</translation>
    </message>
    <message>
        <source>Not taken</source>
        <translation>未收款</translation>
    </message>
    <message>
        <source>The payment could not be started. See the log.</source>
        <translation>无法发起收款,请查看日志。</translation>
    </message>
    <message>
        <source>Refund through {gateway}…</source>
        <translation>经{gateway}退款…</translation>
    </message>
    <message>
        <source>Refund through {gateway} — {order}</source>
        <translation>经{gateway}退款 — {order}</translation>
    </message>
    <message>
        <source>Paid {amount} · {method} · transaction {id}</source>
        <translation>已付 {amount} · {method} · 交易号 {id}</translation>
    </message>
    <message>
        <source>{amount} refunded through {gateway} ({refunded} of {paid} refunded in all)</source>
        <translation>已经{gateway}退款 {amount}(共退 {refunded} / 实付 {paid})</translation>
    </message>
    <message>
        <source>The gateway did not confirm the refund.</source>
        <translation>支付通道未确认这笔退款。</translation>
    </message>
    <message>
        <source>Paid</source>
        <comment>payment</comment>
        <translation>已支付</translation>
    </message>
    <message>
        <source>The gateway has not confirmed the refund: see the order's history later.</source>
        <translation>支付通道尚未确认这笔退款:请稍后查看订单记录。</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Take WeChat Pay, Alipay or cards at the counter. Type the ids from the merchant console and paste each key once: keys go to this computer's keyring and are never shown again.</source>
        <translation>在柜台收取微信支付、支付宝或银行卡。填写商户后台中的各项编号,每个密钥只需粘贴一次:密钥保存在本机的钥匙串中,之后不再显示。</translation>
    </message>
    <message>
        <source>Offer it at the counter</source>
        <translation>在柜台提供此收款方式</translation>
    </message>
    <message>
        <source>Test mode (the gateway's sandbox: no real money)</source>
        <translation>测试模式(支付通道沙箱:不涉及真实资金)</translation>
    </message>
    <message>
        <source>Saved. Keys are in the keyring.</source>
        <translation>已保存。密钥已存入钥匙串。</translation>
    </message>
    <message>
        <source>paste the key</source>
        <translation>粘贴密钥</translation>
    </message>
    <message>
        <source>stored in the keyring — paste a new one to replace it</source>
        <translation>已存入钥匙串 — 粘贴新密钥即可替换</translation>
    </message>
    <message>
        <source>AppID</source>
        <translation>AppID(公众号/小程序 ID)</translation>
    </message>
    <message>
        <source>Merchant ID (mchid)</source>
        <translation>商户号(mchid)</translation>
    </message>
    <message>
        <source>API certificate serial number</source>
        <translation>API 证书序列号</translation>
    </message>
    <message>
        <source>WeChat Pay platform certificate serial</source>
        <translation>微信支付平台证书序列号</translation>
    </message>
    <message>
        <source>API v2 key</source>
        <translation>API v2 密钥</translation>
    </message>
    <message>
        <source>API v3 key</source>
        <translation>API v3 密钥</translation>
    </message>
    <message>
        <source>API certificate private key (apiclient_key.pem)</source>
        <translation>API 证书私钥(apiclient_key.pem)</translation>
    </message>
    <message>
        <source>WeChat Pay platform public key</source>
        <translation>微信支付平台公钥</translation>
    </message>
    <message>
        <source>APPID</source>
        <translation>APPID(应用 ID)</translation>
    </message>
    <message>
        <source>App private key (RSA2)</source>
        <translation>应用私钥(RSA2)</translation>
    </message>
    <message>
        <source>Alipay public key</source>
        <translation>支付宝公钥</translation>
    </message>
    <message>
        <source>Card reader ids (tmr_…, comma between)</source>
        <translation>刷卡机 ID(tmr_…,用逗号分隔)</translation>
    </message>
    <message>
        <source>Secret key (sk_live_… or sk_test_…)</source>
        <translation>密钥(sk_live_… 或 sk_test_…)</translation>
    </message>
    <message>
        <source>Type the {what}.</source>
        <translation>请填写{what}。</translation>
    </message>
    <message>
        <source>{name} is not a payment gateway posapp knows.</source>
        <translation>{name} 不是 posapp 支持的支付通道。</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Redeemed</source>
        <translation>已使用</translation>
    </message>
    <message>
        <source>Redemption rate</source>
        <translation>使用率</translation>
    </message>
    <message>
        <source>Offer code</source>
        <translation>优惠码</translation>
    </message>
    <message>
        <source>Apply code</source>
        <translation>使用优惠码</translation>
    </message>
    <message>
        <source>The code could not be checked. See the log.</source>
        <translation>无法核对优惠码,请查看日志。</translation>
    </message>
    <message>
        <source>Type the code printed on the receipt.</source>
        <translation>请输入小票上印的优惠码。</translation>
    </message>
    <message>
        <source>This is not an offer code: codes never use 0, 1, I, L or O.</source>
        <translation>这不是优惠码:优惠码不含 0、1、I、L、O。</translation>
    </message>
    <message>
        <source>This code is not valid: check it for a typo.</source>
        <translation>优惠码无效:请检查是否输错。</translation>
    </message>
    <message>
        <source>Offer codes are not taken on this counter.</source>
        <translation>本收银台不接受优惠码。</translation>
    </message>
    <message>
        <source>Write the offer's text, as the receipt will print it.</source>
        <translation>请填写优惠内容(按小票上的样子)。</translation>
    </message>
    <message>
        <source>A percent off must be a whole number from 1 to 100.</source>
        <translation>折扣百分比须为 1 到 100 的整数。</translation>
    </message>
    <message>
        <source>An amount off must be more than 0.</source>
        <translation>减免金额须大于 0。</translation>
    </message>
    <message>
        <source>The minimum spend cannot be below 0.</source>
        <translation>最低消费不能小于 0。</translation>
    </message>
    <message>
        <source>Choose at least one segment to receive the offer.</source>
        <translation>请至少选择一个接收优惠的客户分群。</translation>
    </message>
    <message>
        <source>An offer code has {n} characters; this one has {m}.</source>
        <translation>优惠码有 {n} 位;这个有 {m} 位。</translation>
    </message>
    <message>
        <source>Code {code} was not issued by this store.</source>
        <translation>优惠码 {code} 不是本店发放的。</translation>
    </message>
    <message>
        <source>Code {code} has been used already, on order #{number}.</source>
        <translation>优惠码 {code} 已在订单 #{number} 上使用过。</translation>
    </message>
    <message>
        <source>Code {code} has been used already.</source>
        <translation>优惠码 {code} 已使用过。</translation>
    </message>
    <message>
        <source>Code {code} expired on {date}.</source>
        <translation>优惠码 {code} 已于 {date} 过期。</translation>
    </message>
    <message>
        <source>Code {code} is for orders in {currency}.</source>
        <translation>优惠码 {code} 仅限 {currency} 订单。</translation>
    </message>
    <message>
        <source>Code {code} needs a spend of at least {need}; this order is {amount}.</source>
        <translation>优惠码 {code} 需消费满 {need};本单为 {amount}。</translation>
    </message>
    <message>
        <source>Code {code} gives nothing off this order.</source>
        <translation>优惠码 {code} 对本单没有优惠。</translation>
    </message>
    <message>
        <source>The offer's text is {n} characters long (at most {limit}).</source>
        <translation>优惠内容有 {n} 个字符(最多 {limit} 个)。</translation>
    </message>
    <message>
        <source>A code must be valid for 1 to {n} days.</source>
        <translation>优惠码有效期须为 1 到 {n} 天。</translation>
    </message>
    <message>
        <source>Unknown segment {name}.</source>
        <translation>未知的客户分群 {name}。</translation>
    </message>
    <message>
        <source>There is no offer {n} (any more).</source>
        <translation>优惠 {n} 不存在(或已删除)。</translation>
    </message>
    <message>
        <source>{reason} The website will send the order again.</source>
        <translation>{reason}官网会重新发送这笔订单。</translation>
    </message>
    <message>
        <source>payment code</source>
        <translation>付款码</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>二维码</translation>
    </message>
    <message>
        <source>Take WeChat Pay, Alipay or cards at the counter. Type the ids from the merchant console and paste each key once: keys go to this computer's keyring and are never shown again (leave a stored key's box empty to keep it).</source>
        <translation>在柜台收取微信支付、支付宝或银行卡。填写商户后台中的各项编号,每个密钥只需粘贴一次:密钥保存在本机的钥匙串中,之后不再显示(已保存的密钥留空即保持不变)。</translation>
    </message>
    <message>
        <source>Waiting for the customer to scan the QR code…</source>
        <translation>等待顾客扫描二维码…</translation>
    </message>
    <message>
        <source>Paid with Alipay.</source>
        <translation>已用支付宝支付。</translation>
    </message>
    <message>
        <source>Paid with WeChat Pay</source>
        <translation>已用微信支付</translation>
    </message>
    <message>
        <source>Paid by card</source>
        <translation>已刷卡支付</translation>
    </message>
    <message>
        <source>The payment code is not valid: ask the customer to refresh it and scan again.</source>
        <translation>付款码无效:请顾客刷新付款码后重新扫描。</translation>
    </message>
    <message>
        <source>The customer's Alipay balance is not enough: ask them to pick another way to pay in Alipay.</source>
        <translation>顾客支付宝余额不足:请顾客在支付宝中选择其他付款方式。</translation>
    </message>
    <message>
        <source>The customer's bank card has not enough money: ask them to pick another way to pay in Alipay.</source>
        <translation>顾客银行卡余额不足:请顾客在支付宝中选择其他付款方式。</translation>
    </message>
    <message>
        <source>The customer's Alipay balance cannot be used: ask them to pick another way to pay.</source>
        <translation>顾客的支付宝余额不可用:请顾客选择其他付款方式。</translation>
    </message>
    <message>
        <source>Alipay does not let this customer pay right now.</source>
        <translation>支付宝暂不允许该顾客付款。</translation>
    </message>
    <message>
        <source>Alipay refused this payment as risky: ask for another way to pay.</source>
        <translation>支付宝认为此笔付款有风险并拒绝:请换一种付款方式。</translation>
    </message>
    <message>
        <source>The customer has reached Alipay's daily limit.</source>
        <translation>顾客已达支付宝单日限额。</translation>
    </message>
    <message>
        <source>The customer has reached Alipay's monthly limit.</source>
        <translation>顾客已达支付宝单月限额。</translation>
    </message>
    <message>
        <source>The amount is above what Alipay allows for one payment.</source>
        <translation>金额超过支付宝单笔限额。</translation>
    </message>
    <message>
        <source>This payment was already cancelled: start a new one.</source>
        <translation>此笔付款已撤销:请重新发起收款。</translation>
    </message>
    <message>
        <source>Alipay has no record of this payment yet.</source>
        <translation>支付宝尚无此笔付款的记录。</translation>
    </message>
    <message>
        <source>Alipay asked to try the cancel again later.</source>
        <translation>支付宝要求稍后再撤销。</translation>
    </message>
    <message>
        <source>Insufficient balance: the customer can choose another card in WeChat, then scan again</source>
        <translation>余额不足:请顾客在微信中换一张卡,然后重新扫码</translation>
    </message>
    <message>
        <source>The payment code has expired: ask the customer to refresh it and scan again</source>
        <translation>付款码已过期:请顾客刷新后重新扫描</translation>
    </message>
    <message>
        <source>That is not a WeChat Pay payment code: scan the code on the customer's Pay page</source>
        <translation>这不是微信付款码:请扫描顾客“付款”页面上的码</translation>
    </message>
    <message>
        <source>WeChat Pay declined the payment (the customer's bank refused it)</source>
        <translation>微信支付拒绝了付款(顾客的银行拒绝)</translation>
    </message>
    <message>
        <source>WeChat Pay declined the payment for this customer's account</source>
        <translation>微信支付拒绝了该顾客账户的付款</translation>
    </message>
    <message>
        <source>The customer's card is not accepted here: ask them to choose another in WeChat</source>
        <translation>本店不支持顾客的这张卡:请顾客在微信中换一张卡</translation>
    </message>
    <message>
        <source>The code belongs to another WeChat account than the one that started paying</source>
        <translation>付款码与发起付款的微信账户不一致</translation>
    </message>
    <message>
        <source>WeChat Pay did not confirm yet; asking again</source>
        <translation>微信支付尚未确认,正在再次查询</translation>
    </message>
    <message>
        <source>WeChat Pay has no record of this payment yet</source>
        <translation>微信支付尚无此笔付款的记录</translation>
    </message>
    <message>
        <source>Cancelled: nothing was charged</source>
        <translation>已取消:未扣款</translation>
    </message>
    <message>
        <source>Cancelled: the QR code no longer takes payment</source>
        <translation>已取消:二维码已失效</translation>
    </message>
    <message>
        <source>Cancelled: the payment was reversed, nothing was taken</source>
        <translation>已取消:付款已撤销,未扣款</translation>
    </message>
    <message>
        <source>Card accepted by the reader…</source>
        <translation>刷卡机已读取银行卡…</translation>
    </message>
    <message>
        <source>The card is being processed…</source>
        <translation>正在处理银行卡…</translation>
    </message>
    <message>
        <source>Card payment cancelled</source>
        <translation>刷卡已取消</translation>
    </message>
    <message>
        <source>Cancelled before the reader showed the amount</source>
        <translation>刷卡机显示金额前已取消</translation>
    </message>
    <message>
        <source>The reader is not showing this payment</source>
        <translation>刷卡机未显示此笔付款</translation>
    </message>
    <message>
        <source>Scan the customer's payment code first.</source>
        <translation>请先扫描顾客的付款码。</translation>
    </message>
    <message>
        <source>No card reader is set up: Settings → Payments → Card readers.</source>
        <translation>尚未设置刷卡机:设置 → 收款 → 刷卡机。</translation>
    </message>
    <message>
        <source>Only a paid payment can be refunded.</source>
        <translation>只有已支付的付款才能退款。</translation>
    </message>
    <message>
        <source>Say why the money goes back.</source>
        <translation>请填写退款原因。</translation>
    </message>
    <message>
        <source>A refund needs the cashier's or manager's PIN.</source>
        <translation>退款需要收银员或经理 PIN。</translation>
    </message>
    <message>
        <source>Waiting for the customer to tap, insert or swipe the card…</source>
        <translation>等待顾客挥卡、插卡或刷卡…</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>New offer</source>
        <translation>新建优惠</translation>
    </message>
    <message>
        <source>10 % off your next pickup</source>
        <translation>下次自取享 9 折</translation>
    </message>
    <message>
        <source>Percent off</source>
        <translation>按百分比减</translation>
    </message>
    <message>
        <source>Amount off</source>
        <translation>减固定金额</translation>
    </message>
    <message>
        <source>Minimum spend</source>
        <translation>最低消费</translation>
    </message>
    <message>
        <source>Valid for (days)</source>
        <translation>有效天数</translation>
    </message>
    <message>
        <source>Offer text (printed on the receipt)</source>
        <translation>优惠内容(印在小票上)</translation>
    </message>
    <message>
        <source>Who gets it (the customer's segment before the order)</source>
        <translation>发给谁(顾客下单前所在的分群)</translation>
    </message>
    <message>
        <source>Printing on receipts</source>
        <translation>打印在小票上</translation>
    </message>
    <message>
        <source>Save offer</source>
        <translation>保存优惠</translation>
    </message>
    <message>
        <source>{n} % off</source>
        <translation>减 {n}%</translation>
    </message>
    <message>
        <source>{amount} off</source>
        <translation>减 {amount}</translation>
    </message>
    <message>
        <source>min. {amount}</source>
        <translation>满 {amount}</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>No offer yet: write one and save it.</source>
        <translation>还没有优惠:填写后保存即可。</translation>
    </message>
    <message>
        <source>Type the numbers as numbers, such as 10, 5.00 or 30.</source>
        <translation>请用数字填写,例如 10、5.00 或 30。</translation>
    </message>
    <message>
        <source>Saved. The next receipts of the chosen customers carry it.</source>
        <translation>已保存。所选顾客接下来的小票上会印出此优惠。</translation>
    </message>
    <message>
        <source>Printed only on receipts of your own channels: the counter (walk-in and phone orders) and your website. Never on Meituan, Ele.me, Uber Eats or DoorDash orders: their rules forbid steering their customers to another channel.</source>
        <translation>只印在本店自有渠道的小票上:柜台(到店和电话订单)和本店官网。美团、饿了么、Uber Eats、DoorDash 的订单一律不印:这些平台的规则禁止把其顾客引导到其他渠道。</translation>
    </message>
    <message>
        <source>Customer data</source>
        <translation>客户数据</translation>
    </message>
    <message>
        <source>A customer's data on request: find them by phone or name, export what we hold, or erase it.</source>
        <translation>应客户要求处理其数据:按电话或姓名查找,导出我们保存的全部数据,或将其删除。</translation>
    </message>
    <message>
        <source>A masked number may be someone else's on another platform: check the name and the orders.</source>
        <translation>打码号码在其他平台上可能属于另一个人:请核对姓名和订单。</translation>
    </message>
    <message>
        <source>Phone number or name</source>
        <translation>电话号码或姓名</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Tap a customer to see their orders.</source>
        <translation>点一位客户查看其订单。</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Erase…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>(masked)</source>
        <translation>(打码)</translation>
    </message>
    <message>
        <source>{n} customers found</source>
        <translation>找到 {n} 位客户</translation>
    </message>
    <message>
        <source>Nobody found.</source>
        <translation>没有找到客户。</translation>
    </message>
    <message>
        <source>{name} · {phone} · {n} orders</source>
        <translation>{name} · {phone} · {n} 单</translation>
    </message>
    <message>
        <source>Erase a customer's data</source>
        <translation>删除客户数据</translation>
    </message>
    <message>
        <source>Name, phone, address and notes are blanked on every order, in the platforms' raw messages, in upload rows not sent yet, in quarantined messages and in customer notes. The money figures stay. The audit log keeps who did it and why.</source>
        <translation>所有订单、平台原始消息、尚未上传的同步记录、隔离的消息和客户备注中的姓名、电话、地址和备注都将被清除。金额数据保留。审计日志记录操作人和原因。</translation>
    </message>
    <message>
        <source>Erase for good: this cannot be undone</source>
        <translation>永久删除:此操作无法撤销</translation>
    </message>
    <message>
        <source>Say why the data is erased.</source>
        <translation>请说明删除数据的原因。</translation>
    </message>
    <message>
        <source>Tick the box to confirm.</source>
        <translation>请勾选确认。</translation>
    </message>
    <message>
        <source>Export the customer's data to…</source>
        <translation>将客户数据导出到…</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Cannot write {file}: {error}</source>
        <translation>无法写入 {file}:{error}</translation>
    </message>
    <message>
        <source>Erased: {orders} orders, {uploads} upload rows, {quarantine} quarantined messages, {notes} notes.</source>
        <translation>已删除:{orders} 个订单、{uploads} 条同步记录、{quarantine} 条隔离消息、{notes} 条备注。</translation>
    </message>
    <message>
        <source>Exported a customer's data</source>
        <translation>导出了客户数据</translation>
    </message>
    <message>
        <source>Erased a customer's data</source>
        <translation>删除了客户数据</translation>
    </message>
    <message>
        <source>Type at least two letters of a name or four digits of a phone number.</source>
        <translation>请至少输入姓名的两个字或电话号码的四位数字。</translation>
    </message>
    <message>
        <source>Say why the data is erased (for example: the customer asked by phone).</source>
        <translation>请说明删除数据的原因(例如:客户来电要求)。</translation>
    </message>
    <message>
        <source>No stored order names this customer any more.</source>
        <translation>已没有订单记录这位客户。</translation>
    </message>
    <message>
        <source>Payment notification address (https://…; a QR payment needs it)</source>
        <translation>支付结果通知地址(https://…;二维码收款必填)</translation>
    </message>
    <message>
        <source>Payment notification address (https://…, optional)</source>
        <translation>支付结果通知地址(https://…,可不填)</translation>
    </message>
    <message>
        <source>* A masked number may be someone else's on another platform: check the name and the orders.</source>
        <translation>* 打码号码在其他平台上可能属于另一个人:请核对姓名和订单。</translation>
    </message>
    <message>
        <source>Saved an offer</source>
        <translation>保存了优惠</translation>
    </message>
    <message>
        <source>The receipt handed out an offer code</source>
        <translation>小票发出优惠码</translation>
    </message>
    <message>
        <source>Offer code used</source>
        <translation>使用了优惠码</translation>
    </message>
    <message>
        <source>Offer code not applied</source>
        <translation>优惠码未生效</translation>
    </message>
    <message>
        <source>Fetch from Uber Eats</source>
        <translation>从 Uber Eats 获取</translation>
    </message>
    <message>
        <source>Asked Uber Eats for the payment details of {first} to {last}: the report comes in a few minutes…</source>
        <translation>已向 Uber Eats 申请 {first} 至 {last} 的付款明细,报表几分钟内送达…</translation>
    </message>
    <message>
        <source>Nothing was imported from Uber Eats: {reason}</source>
        <translation>未从 Uber Eats 导入任何内容:{reason}</translation>
    </message>
    <message>
        <source>Asked a platform for its statement</source>
        <translation>向平台申请结算报表</translation>
    </message>
    <message>
        <source>The {name} payment gateway is not set up: Settings → Payments.</source>
        <translation>尚未设置{name}支付通道:设置 → 收款。</translation>
    </message>
    <message>
        <source>The {name} payment gateway cannot be used: {reason}</source>
        <translation>{name}支付通道无法使用:{reason}</translation>
    </message>
    <message>
        <source>{gateway} does not take payment by {method}.</source>
        <translation>{gateway}不支持{method}收款。</translation>
    </message>
    <message>
        <source>No order {order} to take payment for.</source>
        <translation>没有可收款的订单 {order}。</translation>
    </message>
    <message>
        <source>The order is in {currency}, not {other}.</source>
        <translation>订单币种为 {currency},不是 {other}。</translation>
    </message>
    <message>
        <source>The amount must be more than 0 and at most the order's total ({total}).</source>
        <translation>金额必须大于 0 且不超过订单总额({total})。</translation>
    </message>
    <message>
        <source>Order #{number} {what} ({gateway}); it is not charged again.</source>
        <translation>订单 #{number}{what}({gateway});不会重复扣款。</translation>
    </message>
    <message>
        <source>Order #{number} is already paid ({method}).</source>
        <translation>订单 #{number} 已支付({method})。</translation>
    </message>
    <message>
        <source>The payment was in {currency}, not {other}.</source>
        <translation>该笔付款币种为 {currency},不是 {other}。</translation>
    </message>
    <message>
        <source>A refund must be more than 0 and at most what is left to refund ({amount}).</source>
        <translation>退款金额必须大于 0 且不超过可退余额({amount})。</translation>
    </message>
    <message>
        <source>is already paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <source>has a payment under way</source>
        <translation>正在收款中</translation>
    </message>
    <message>
        <source>alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>wechat</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>stripe</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <source>scan_code</source>
        <translation>扫码</translation>
    </message>
    <message>
        <source>show_qr</source>
        <translation>二维码</translation>
    </message>
    <message>
        <source>card_reader</source>
        <translation>刷卡机</translation>
    </message>
    <message>
        <source>Keep customers' names, phones and addresses for (days)</source>
        <translation>顾客姓名、电话和地址保留天数(天)</translation>
    </message>
    <message>
        <source>The manager section locks after (seconds)</source>
        <translation>经理界面无操作自动锁定(秒)</translation>
    </message>
    <message>
        <source>the report request is no longer open</source>
        <translation>该报表申请已不再等待</translation>
    </message>
    <message>
        <source>it gave no reason</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>{platform} statements cannot be fetched by API</source>
        <translation>{platform}的账单无法通过开放接口获取</translation>
    </message>
    <message>
        <source>{platform} statements cannot be fetched by API: import the file</source>
        <translation>{platform}的账单无法通过开放接口获取:请导入文件</translation>
    </message>
    <message>
        <source>{platform} is not connected: set it up in Shop setup first</source>
        <translation>{platform}未连接:请先在店铺设置中设置</translation>
    </message>
    <message>
        <source>{platform} could not be reached: {error}</source>
        <translation>无法连接{platform}:{error}</translation>
    </message>
    <message>
        <source>no report request {id} is known</source>
        <translation>没有报表申请 {id}</translation>
    </message>
    <message>
        <source>{platform} sent no report in {n} seconds, nothing was imported: the report is announced to posapp's webhook address, so posapp (or 'posapp engine') must be running and that address set in the platform's developer dashboard</source>
        <translation>{platform}在 {n} 秒内没有发来报表,未导入任何内容:报表是发到 posapp 的推送地址通知的,所以 posapp(或其后台引擎)必须在运行,且该地址已在平台的开发者后台设置</translation>
    </message>
    <message>
        <source>Uber Eats could not make the report: {reason}</source>
        <translation>Uber Eats 未能生成报表:{reason}</translation>
    </message>
    <message>
        <source>the Uber Eats report was not imported, nothing was kept: {reason}</source>
        <translation>Uber Eats 报表未导入,未保存任何内容:{reason}</translation>
    </message>
    <message>
        <source>the last day {last} is before the first day {first}</source>
        <translation>最后一天 {last} 早于第一天 {first}</translation>
    </message>
    <message>
        <source>Uber Eats gives at most {n} days of payment details per report: {first} to {last} is {days} days</source>
        <translation>Uber Eats 每份报表最多提供 {n} 天的付款明细:{first} 至 {last} 共 {days} 天</translation>
    </message>
    <message>
        <source>Uber Eats refused the report request: {reason}</source>
        <translation>Uber Eats 拒绝了报表申请:{reason}</translation>
    </message>
    <message>
        <source>Uber Eats does not let this app read the store's reports (HTTP {code}): is the reporting app installed for store {store}?</source>
        <translation>Uber Eats 不允许此应用读取本店报表(HTTP {code}):门店 {store} 是否已安装报表应用?</translation>
    </message>
    <message>
        <source>Uber Eats cannot take the report request now (HTTP {code})</source>
        <translation>Uber Eats 暂时无法受理报表申请(HTTP {code})</translation>
    </message>
    <message>
        <source>Uber Eats gave no reporting token: check the client id and secret, and that the app has the eats.report scope in the Uber developer dashboard (HTTP {code}).</source>
        <translation>Uber Eats 未发放报表令牌:请检查应用的客户端编号和密钥,并确认应用在 Uber 开发者后台拥有报表(eats.report)权限(HTTP {code})。</translation>
    </message>
    <message>
        <source>the Uber Eats report section {section} can no longer be downloaded (HTTP {code}): its link has expired; fetch the report again</source>
        <translation>Uber Eats 报表分段 {section} 已无法下载(HTTP {code}):链接已过期,请重新获取报表</translation>
    </message>
    <message>
        <source>the Uber Eats report is larger than {n} MB</source>
        <translation>Uber Eats 报表超过 {n} MB</translation>
    </message>
    <message>
        <source>Which card reader?</source>
        <translation>用哪台刷卡机?</translation>
    </message>
    <message>
        <source>Checking the card readers…</source>
        <translation>正在查询刷卡机状态…</translation>
    </message>
    <message>
        <source>Check the readers again</source>
        <translation>重新查询刷卡机</translation>
    </message>
    <message>
        <source>Tap the reader the customer pays on.</source>
        <translation>请点选顾客刷卡的那台刷卡机。</translation>
    </message>
    <message>
        <source>No card reader is set up: a manager adds one in Shop setup → Payments.</source>
        <translation>尚未设置刷卡机:请经理在店铺设置 → 收款中添加。</translation>
    </message>
    <message>
        <source>No card reader can take a payment now: check the readers' power and network.</source>
        <translation>目前没有可用的刷卡机:请检查刷卡机的电源和网络。</translation>
    </message>
    <message>
        <source>The card readers could not be listed. See the log.</source>
        <translation>无法列出刷卡机,请查看日志。</translation>
    </message>
    <message>
        <source>Ready</source>
        <comment>card reader</comment>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Busy with another payment</source>
        <comment>card reader</comment>
        <translation>正在处理另一笔付款</translation>
    </message>
    <message>
        <source>Offline</source>
        <comment>card reader</comment>
        <translation>离线</translation>
    </message>
    <message>
        <source>State unknown</source>
        <comment>card reader</comment>
        <translation>状态未知</translation>
    </message>
    <message>
        <source>API certificate (apiclient_cert.pem; to reverse a scanned payment)</source>
        <translation>API 证书(apiclient_cert.pem;撤销扫码付款时需要)</translation>
    </message>
    <message>
        <source>Webhook signing secret (whsec_…, optional)</source>
        <translation>Webhook 签名密钥(whsec_…,可不填)</translation>
    </message>
    <message>
        <source>paste it once (optional)</source>
        <translation>粘贴一次(可不填)</translation>
    </message>
    <message>
        <source>Paste the whole apiclient_cert.pem, from its -----BEGIN CERTIFICATE----- line to its END line.</source>
        <translation>请粘贴完整的 apiclient_cert.pem,从 -----BEGIN CERTIFICATE----- 行到 END 行。</translation>
    </message>
    <message>
        <source>A Stripe webhook signing secret starts with whsec_.</source>
        <translation>Stripe Webhook 签名密钥以 whsec_ 开头。</translation>
    </message>
    <message>
        <source>posapp could not start. Nothing was changed; the log file has the details.</source>
        <translation>posapp 无法启动。没有任何改动;详情见日志文件。</translation>
    </message>
    <message>
        <source>This database's personal data is encrypted with a key this machine does not have. Bring the key from the old counter: posapp privacy export-key there, posapp privacy import-key here</source>
        <translation>此数据库中的顾客个人数据用本机没有的密钥加密。请从旧收银机带来密钥:在旧机器上运行 posapp privacy export-key,在本机运行 posapp privacy import-key</translation>
    </message>
    <message>
        <source>Stripe (cards)</source>
        <translation>Stripe(银行卡)</translation>
    </message>
    <message>
        <source>Choose a platform or a payment gateway, then import the statement or settlement file you downloaded from it.</source>
        <translation>选择平台或支付通道,然后导入从那里下载的账单或结算文件。</translation>
    </message>
    <message>
        <source>Use the camera</source>
        <translation>用摄像头扫码</translation>
    </message>
    <message>
        <source>Hold the code up to the camera…</source>
        <translation>请把付款码对准摄像头…</translation>
    </message>
    <message>
        <source>No camera can be used: scan the code with the barcode scanner.</source>
        <translation>没有可用的摄像头:请用扫码枪扫码。</translation>
    </message>
    <message>
        <source>The camera stopped: scan the code with the barcode scanner.</source>
        <translation>摄像头已停止:请用扫码枪扫码。</translation>
    </message>
</context>
</TS>
